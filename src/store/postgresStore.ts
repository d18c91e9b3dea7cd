import pg from 'pg';
import type { UsageRecord } from '../ledger/usageRecord.js';
import type { BudgetInput, GatewayStore, KeyPatch, NewKey, StoredBudget, StoredKey, UsageListFilter, UsageQuery, UsageSummary } from './gatewayStore.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { pendingMigrations } from './migrations/migration.js';
import {
  GROUP_COLUMNS, SKIP_STORED_RECORDS, USAGE_AGGREGATES, USAGE_COLUMNS, newBudgetId, toInteger, toStoredBudget, toStoredKey, toSummary, toTotals, toUsageRecord,
  usageFilter, usageListLimit, type AggregateRow, type BudgetRow, type KeyRow, type SqlDialect, type UsageRow,
} from './storeRows.js';

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:5432/db`; `?options=-c%20search_path%3Dschema` selects a schema. */
  url: string;
  migrations?: readonly Migration[];
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Reports errors of idle pooled connections (which would otherwise crash the process). */
  onPoolError?: (error: Error) => void;
  /**
   * A usage batch not acknowledged within this long fails (default 10 s) and its connection is dropped, so a hung
   * server or a silent network fault leads to the ledger's retries and spill file instead of an ever-growing queue.
   */
  ledgerWriteTimeoutMs?: number;
}

const DEFAULT_LEDGER_WRITE_TIMEOUT_MS = 10_000;

/** Key of the advisory lock that serialises migrations of instances starting together (any constant would do). */
const MIGRATION_LOCK = 7_362_619_281;
const USAGE_COLUMN_TYPES: Record<(typeof USAGE_COLUMNS)[number], string> = {
  time: 'timestamptz', request_id: 'text', key_id: 'text', model_canonical: 'text', provider: 'text', provider_model: 'text',
  status: 'integer', error_code: 'text', prompt_tokens: 'integer', cached_tokens: 'integer', cache_write_tokens: 'integer',
  completion_tokens: 'integer', reasoning_tokens: 'integer', cost_micros: 'bigint', ttft_ms: 'integer', total_latency_ms: 'integer',
  attempts: 'integer', stream: 'boolean', metadata: 'jsonb', record_id: 'text',
};
const INSERT_USAGE = `INSERT INTO usage_records (${USAGE_COLUMNS.join(', ')}) SELECT ${USAGE_COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${USAGE_COLUMNS.map((column) => `${column} ${USAGE_COLUMN_TYPES[column]}`).join(', ')}) ${SKIP_STORED_RECORDS}`;

const date = (ms: number): Date => new Date(ms);
const dateOrNull = (ms: number | null | undefined): Date | null => (ms === null || ms === undefined ? null : new Date(ms));
const POSTGRES: SqlDialect = { placeholder: (position) => `$${position}`, time: date };

/** The shared store for several gateway instances: a `pg` pool. */
export class PostgresStore implements GatewayStore {
  readonly kind = 'postgres';
  private pool: pg.Pool | undefined;
  private readonly migrations: readonly Migration[];

  constructor(private readonly options: PostgresStoreOptions) {
    this.migrations = options.migrations ?? MIGRATIONS;
  }

  async open(): Promise<void> {
    if (this.pool !== undefined) return;
    const pool = new pg.Pool({
      connectionString: this.options.url,
      max: this.options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // TCP keep-alive: a server that vanished without closing the connection is noticed instead of waited on.
      keepAlive: true,
      application_name: 'switchyard',
    });
    pool.on('error', (error) => this.options.onPoolError?.(error));
    try {
      await this.migrate(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    this.pool = pool;
  }

  /** Applies pending migrations under an advisory lock, each in its own transaction with its schema_migrations row. */
  private async migrate(pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);
        for (const migration of pendingMigrations(this.migrations, applied)) {
          await client.query('BEGIN');
          try {
            await client.query(migration.postgres);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.handle().query('SELECT 1');
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  async appliedMigrations(): Promise<number[]> {
    return (await this.handle().query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);
  }

  async insertKey(key: NewKey): Promise<StoredKey> {
    await this.handle().query(
      `INSERT INTO api_keys (id, name, kind, hash, created_at, updated_at, expires_at, revoked_at, rate_limit_rpm, tokens_per_minute, max_concurrent, tier)
       VALUES ($1, $2, $3, $4, $5, $5, $6, NULL, $7, $8, $9, $10)`,
      [key.id, key.name, key.kind, key.hash, date(key.createdAt), dateOrNull(key.expiresAt), key.rateLimitRpm, key.tokensPerMinute, key.maxConcurrent, key.tier],
    );
    return { ...key, revokedAt: null };
  }

  async getKey(id: string): Promise<StoredKey | undefined> {
    const row = (await this.handle().query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id])).rows[0];
    return row === undefined ? undefined : toStoredKey(row);
  }

  async findKeyByHash(hash: Buffer): Promise<StoredKey | undefined> {
    const row = (await this.handle().query<KeyRow>('SELECT * FROM api_keys WHERE hash = $1', [hash])).rows[0];
    return row === undefined ? undefined : toStoredKey(row);
  }

  async listKeys(): Promise<StoredKey[]> {
    return (await this.handle().query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(toStoredKey);
  }

  async updateKey(id: string, patch: KeyPatch): Promise<StoredKey | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.expiresAt !== undefined) set('expires_at', dateOrNull(patch.expiresAt));
    if (patch.rateLimitRpm !== undefined) set('rate_limit_rpm', patch.rateLimitRpm);
    if (patch.tokensPerMinute !== undefined) set('tokens_per_minute', patch.tokensPerMinute);
    if (patch.maxConcurrent !== undefined) set('max_concurrent', patch.maxConcurrent);
    if (patch.tier !== undefined) set('tier', patch.tier);
    set('updated_at', new Date());
    values.push(id);
    const row = (await this.handle().query<KeyRow>(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`, values)).rows[0];
    return row === undefined ? undefined : toStoredKey(row);
  }

  async revokeKey(id: string, at: number): Promise<StoredKey | undefined> {
    const row = (
      await this.handle().query<KeyRow>('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1 WHERE id = $2 RETURNING *', [date(at), id])
    ).rows[0];
    return row === undefined ? undefined : toStoredKey(row);
  }

  async insertUsage(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    // The whole batch as one JSON parameter: one statement (all rows or none), and far less client CPU than a bind per value.
    // A timed-out write may still commit later; the retry then skips its rows by record id.
    const query: pg.QueryConfig & { query_timeout: number } = {
      text: INSERT_USAGE,
      values: [JSON.stringify(records.map(toUsageColumns))],
      query_timeout: this.options.ledgerWriteTimeoutMs ?? DEFAULT_LEDGER_WRITE_TIMEOUT_MS,
    };
    await this.handle().query(query);
  }


  async queryUsage(query: UsageQuery): Promise<UsageSummary> {
    const { where, values } = usageFilter(query, POSTGRES);
    const pool = this.handle();
    if (query.groupBy === undefined) {
      const row = (await pool.query<AggregateRow>(`SELECT ${USAGE_AGGREGATES} FROM usage_records ${where}`, values)).rows[0];
      if (row === undefined) throw new Error('aggregate query returned no row');
      return { totals: toTotals(row) };
    }
    const group = query.groupBy === 'day' ? `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : GROUP_COLUMNS[query.groupBy];
    const rows = (await pool.query<AggregateRow>(`SELECT ${group} AS grp, ${USAGE_AGGREGATES} FROM usage_records ${where} GROUP BY grp`, values)).rows;
    return toSummary(rows);
  }

  async listUsage(filter: UsageListFilter = {}): Promise<UsageRecord[]> {
    const clauses: string[] = [];
    const values: unknown[] = [];
    if (filter.requestId !== undefined) {
      values.push(filter.requestId);
      clauses.push(`request_id = $${values.length}`);
    }
    if (filter.keyId !== undefined) {
      values.push(filter.keyId);
      clauses.push(`key_id = $${values.length}`);
    }
    values.push(usageListLimit(filter.limit));
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const rows = (await this.handle().query<UsageRow>(`SELECT * FROM usage_records ${where} ORDER BY time DESC, id DESC LIMIT $${values.length}`, values)).rows;
    return rows.map(toUsageRecord);
  }

  async spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number> {
    const pool = this.handle();
    const result =
      keyId === null
        ? await pool.query<{ spent: string }>('SELECT COALESCE(SUM(cost_micros), 0) AS spent FROM usage_records WHERE time >= $1', [date(sinceMs)])
        : await pool.query<{ spent: string }>('SELECT COALESCE(SUM(cost_micros), 0) AS spent FROM usage_records WHERE key_id = $1 AND time >= $2', [keyId, date(sinceMs)]);
    return toInteger(result.rows[0]?.spent);
  }

  async putBudget(input: BudgetInput, now: number): Promise<{ budget: StoredBudget; created: boolean }> {
    // One statement, atomic under concurrency; xmax = 0 only for a freshly inserted row.
    const row = (
      await this.handle().query<BudgetRow>(
        `INSERT INTO budgets (id, scope, key_id, period, limit_micros, enforce, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (scope, (COALESCE(key_id, '')), period)
         DO UPDATE SET limit_micros = EXCLUDED.limit_micros, enforce = EXCLUDED.enforce, updated_at = EXCLUDED.updated_at
         RETURNING *, (xmax = 0) AS created`,
        [newBudgetId(), input.scope, input.keyId, input.period, input.limitMicros, input.enforce, date(now)],
      )
    ).rows[0];
    if (row === undefined) throw new Error('budget upsert returned no row');
    return { budget: toStoredBudget(row), created: row.created === true };
  }

  async getBudget(id: string): Promise<StoredBudget | undefined> {
    const row = (await this.handle().query<BudgetRow>('SELECT * FROM budgets WHERE id = $1', [id])).rows[0];
    return row === undefined ? undefined : toStoredBudget(row);
  }

  async listBudgets(filter: { keyId?: string } = {}): Promise<StoredBudget[]> {
    const pool = this.handle();
    const result =
      filter.keyId === undefined
        ? await pool.query<BudgetRow>('SELECT * FROM budgets ORDER BY created_at, id')
        : await pool.query<BudgetRow>(`SELECT * FROM budgets WHERE scope = 'key' AND key_id = $1 ORDER BY created_at, id`, [filter.keyId]);
    return result.rows.map(toStoredBudget);
  }

  async deleteBudget(id: string): Promise<StoredBudget | undefined> {
    const row = (await this.handle().query<BudgetRow>('DELETE FROM budgets WHERE id = $1 RETURNING *', [id])).rows[0];
    return row === undefined ? undefined : toStoredBudget(row);
  }

  /** The open pool, for other tables of the same database (e.g. the limits' budget counters). */
  getPool(): pg.Pool {
    return this.handle();
  }

  private handle(): pg.Pool {
    if (this.pool === undefined) throw new Error('the Postgres store is not open');
    return this.pool;
  }
}

/** One usage record keyed by column name, as `jsonb_to_recordset` reads it. */
function toUsageColumns(record: UsageRecord): Record<(typeof USAGE_COLUMNS)[number], unknown> {
  return {
    time: record.time,
    request_id: record.requestId,
    key_id: record.keyId,
    model_canonical: record.modelCanonical,
    provider: record.provider,
    provider_model: record.providerModel,
    status: record.status,
    error_code: record.errorCode,
    prompt_tokens: record.promptTokens,
    cached_tokens: record.cachedTokens,
    cache_write_tokens: record.cacheWriteTokens,
    completion_tokens: record.completionTokens,
    reasoning_tokens: record.reasoningTokens,
    cost_micros: Math.round(record.costMicros),
    ttft_ms: record.ttftMs === null ? null : Math.round(record.ttftMs),
    total_latency_ms: Math.round(record.totalLatencyMs),
    attempts: record.attempts,
    stream: record.stream,
    metadata: record.metadata,
    record_id: record.recordId ?? null,
  };
}
