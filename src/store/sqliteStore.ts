import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { UsageRecord } from '../ledger/usageRecord.js';
import type { BudgetInput, GatewayStore, KeyPatch, NewKey, StoredBudget, StoredKey, UsageListFilter, UsageQuery, UsageSummary } from './gatewayStore.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { pendingMigrations } from './migrations/migration.js';
import { SqliteBatchWriter, type SqliteRow } from './sqliteBatchWriter.js';
import {
  GROUP_COLUMNS, SKIP_STORED_RECORDS, USAGE_AGGREGATES, USAGE_COLUMNS, newBudgetId, toInteger, toStoredBudget, toStoredKey, toSummary, toTotals, toUsageRecord,
  usageFilter, usageListLimit, type AggregateRow, type BudgetRow, type KeyRow, type SqlDialect, type UsageRow,
} from './storeRows.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:`. The file's folder is created when missing. */
  path: string;
  /** Migrations to apply (default: MIGRATIONS); tests pass their own. */
  migrations?: readonly Migration[];
  /** How long a write waits for another process's lock before failing (default 5 s). */
  busyTimeoutMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));
const SQLITE: SqlDialect = { placeholder: () => '?', time: iso };
const INSERT_USAGE = `INSERT INTO usage_records (${USAGE_COLUMNS.join(', ')}) VALUES (${USAGE_COLUMNS.map(() => '?').join(', ')}) ${SKIP_STORED_RECORDS}`;

/** What `toISOString` writes: such a time is stored as it is (the ledger's own records), any other is normalised. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A usage record as the values of USAGE_COLUMNS. */
function toUsageRow(record: UsageRecord): SqliteRow {
  return [
    CANONICAL_TIME.test(record.time) ? record.time : iso(Date.parse(record.time)), record.requestId, record.keyId, record.modelCanonical, record.provider, record.providerModel,
    record.status, record.errorCode, record.promptTokens, record.cachedTokens, record.cacheWriteTokens, record.completionTokens,
    record.reasoningTokens, Math.round(record.costMicros), record.ttftMs === null ? null : Math.round(record.ttftMs),
    Math.round(record.totalLatencyMs), record.attempts, record.stream ? 1 : 0, JSON.stringify(record.metadata),
    record.recordId ?? null,
  ];
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=NORMAL` (a power loss may lose the last
 * transactions, never corrupt the file). better-sqlite3 is synchronous; every method still returns a promise so
 * that callers treat both stores alike. Writes are short (a ledger batch is one transaction).
 */
export class SqliteStore implements GatewayStore {
  readonly kind = 'sqlite';
  private db: Database.Database | undefined;
  /** Usage batches of a file database are written from a worker thread; an in-memory one has only this connection. */
  private usageWriter: SqliteBatchWriter | undefined;
  private readonly migrations: readonly Migration[];

  constructor(private readonly options: SqliteStoreOptions) {
    this.migrations = options.migrations ?? MIGRATIONS;
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    const memory = this.options.path === ':memory:';
    if (!memory) mkdirSync(dirname(this.options.path), { recursive: true });
    const db = new Database(this.options.path);
    const busyTimeoutMs = Math.max(0, Math.floor(this.options.busyTimeoutMs ?? 5_000));
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (!memory) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      this.migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    if (!memory) this.usageWriter = new SqliteBatchWriter({ path: this.options.path, sql: INSERT_USAGE, busyTimeoutMs });
  }

  /** Applies pending migrations; BEGIN IMMEDIATE serialises two processes starting on the same file. */
  private migrate(db: Database.Database): void {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = () => (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((row) => row.version);
    if (pendingMigrations(this.migrations, applied()).length === 0) return;
    const run = db.transaction(() => {
      for (const migration of pendingMigrations(this.migrations, applied())) {
        db.exec(migration.sqlite);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, iso(Date.now()));
      }
    });
    run.immediate();
  }

  async ping(): Promise<void> {
    this.handle().prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.usageWriter?.close();
    this.usageWriter = undefined;
    this.db?.close();
    this.db = undefined;
  }

  async appliedMigrations(): Promise<number[]> {
    return (this.handle().prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((row) => row.version);
  }

  async insertKey(key: NewKey): Promise<StoredKey> {
    const now = iso(key.createdAt);
    this.handle()
      .prepare(
        `INSERT INTO api_keys (id, name, kind, hash, created_at, updated_at, expires_at, revoked_at, rate_limit_rpm, tokens_per_minute, max_concurrent, tier)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
      )
      .run(key.id, key.name, key.kind, key.hash, now, now, isoOrNull(key.expiresAt), key.rateLimitRpm, key.tokensPerMinute, key.maxConcurrent, key.tier);
    return { ...key, revokedAt: null };
  }

  async getKey(id: string): Promise<StoredKey | undefined> {
    const row = this.handle().prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row === undefined ? undefined : toStoredKey(row);
  }

  async findKeyByHash(hash: Buffer): Promise<StoredKey | undefined> {
    const row = this.handle().prepare('SELECT * FROM api_keys WHERE hash = ?').get(hash) as KeyRow | undefined;
    return row === undefined ? undefined : toStoredKey(row);
  }

  async listKeys(): Promise<StoredKey[]> {
    return (this.handle().prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as KeyRow[]).map(toStoredKey);
  }

  async updateKey(id: string, patch: KeyPatch): Promise<StoredKey | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.expiresAt !== undefined) set('expires_at', isoOrNull(patch.expiresAt));
    if (patch.rateLimitRpm !== undefined) set('rate_limit_rpm', patch.rateLimitRpm);
    if (patch.tokensPerMinute !== undefined) set('tokens_per_minute', patch.tokensPerMinute);
    if (patch.maxConcurrent !== undefined) set('max_concurrent', patch.maxConcurrent);
    if (patch.tier !== undefined) set('tier', patch.tier);
    set('updated_at', iso(Date.now()));
    const row = this.handle()
      .prepare(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ? RETURNING *`)
      .get(...values, id) as KeyRow | undefined;
    return row === undefined ? undefined : toStoredKey(row);
  }

  async revokeKey(id: string, at: number): Promise<StoredKey | undefined> {
    const row = this.handle()
      .prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ? RETURNING *')
      .get(iso(at), iso(at), id) as KeyRow | undefined;
    return row === undefined ? undefined : toStoredKey(row);
  }

  async insertUsage(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(toUsageRow);
    if (this.usageWriter !== undefined) return this.usageWriter.run(rows);
    const db = this.handle();
    const insert = db.prepare(INSERT_USAGE);
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
  }

  async queryUsage(query: UsageQuery): Promise<UsageSummary> {
    const { where, values } = usageFilter(query, SQLITE);
    const db = this.handle();
    if (query.groupBy === undefined) {
      const row = db.prepare(`SELECT ${USAGE_AGGREGATES} FROM usage_records ${where}`).get(...values) as AggregateRow;
      return { totals: toTotals(row) };
    }
    const group = query.groupBy === 'day' ? 'substr(time, 1, 10)' : GROUP_COLUMNS[query.groupBy];
    const rows = db.prepare(`SELECT ${group} AS grp, ${USAGE_AGGREGATES} FROM usage_records ${where} GROUP BY grp`).all(...values) as AggregateRow[];
    return toSummary(rows);
  }

  async listUsage(filter: UsageListFilter = {}): Promise<UsageRecord[]> {
    const clauses: string[] = [];
    const values: unknown[] = [];
    if (filter.requestId !== undefined) {
      clauses.push('request_id = ?');
      values.push(filter.requestId);
    }
    if (filter.keyId !== undefined) {
      clauses.push('key_id = ?');
      values.push(filter.keyId);
    }
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const rows = this.handle()
      .prepare(`SELECT * FROM usage_records ${where} ORDER BY time DESC, id DESC LIMIT ?`)
      .all(...values, usageListLimit(filter.limit)) as UsageRow[];
    return rows.map(toUsageRecord);
  }

  async spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number> {
    const db = this.handle();
    const row = (keyId === null
      ? db.prepare('SELECT COALESCE(SUM(cost_micros), 0) AS spent FROM usage_records WHERE time >= ?').get(iso(sinceMs))
      : db.prepare('SELECT COALESCE(SUM(cost_micros), 0) AS spent FROM usage_records WHERE key_id = ? AND time >= ?').get(keyId, iso(sinceMs))) as { spent: unknown };
    return toInteger(row.spent);
  }

  async putBudget(input: BudgetInput, now: number): Promise<{ budget: StoredBudget; created: boolean }> {
    const db = this.handle();
    return db.transaction(() => {
      const existing = db
        .prepare(`SELECT * FROM budgets WHERE scope = ? AND COALESCE(key_id, '') = ? AND period = ?`)
        .get(input.scope, input.keyId ?? '', input.period) as BudgetRow | undefined;
      if (existing !== undefined) {
        const row = db
          .prepare('UPDATE budgets SET limit_micros = ?, enforce = ?, updated_at = ? WHERE id = ? RETURNING *')
          .get(input.limitMicros, input.enforce ? 1 : 0, iso(now), existing.id) as BudgetRow;
        return { budget: toStoredBudget(row), created: false };
      }
      const row = db
        .prepare('INSERT INTO budgets (id, scope, key_id, period, limit_micros, enforce, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *')
        .get(newBudgetId(), input.scope, input.keyId, input.period, input.limitMicros, input.enforce ? 1 : 0, iso(now), iso(now)) as BudgetRow;
      return { budget: toStoredBudget(row), created: true };
    }).immediate();
  }

  async getBudget(id: string): Promise<StoredBudget | undefined> {
    const row = this.handle().prepare('SELECT * FROM budgets WHERE id = ?').get(id) as BudgetRow | undefined;
    return row === undefined ? undefined : toStoredBudget(row);
  }

  async listBudgets(filter: { keyId?: string } = {}): Promise<StoredBudget[]> {
    const db = this.handle();
    const rows = (filter.keyId === undefined
      ? db.prepare('SELECT * FROM budgets ORDER BY created_at, id').all()
      : db.prepare(`SELECT * FROM budgets WHERE scope = 'key' AND key_id = ? ORDER BY created_at, id`).all(filter.keyId)) as BudgetRow[];
    return rows.map(toStoredBudget);
  }

  async deleteBudget(id: string): Promise<StoredBudget | undefined> {
    const row = this.handle().prepare('DELETE FROM budgets WHERE id = ? RETURNING *').get(id) as BudgetRow | undefined;
    return row === undefined ? undefined : toStoredBudget(row);
  }

  private handle(): Database.Database {
    if (this.db === undefined) throw new Error('the SQLite store is not open');
    return this.db;
  }
}
