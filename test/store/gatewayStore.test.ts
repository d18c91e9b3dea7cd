import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, keyIdFromHash } from '../../src/auth/apiKeyFormat.js';
import { pino } from 'pino';
import { LedgerWriter } from '../../src/ledger/ledgerWriter.js';
import type { UsageRecord } from '../../src/ledger/usageRecord.js';
import { createStore } from '../../src/store/createStore.js';
import type { GatewayStore, NewKey } from '../../src/store/gatewayStore.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { PostgresStore } from '../../src/store/postgresStore.js';
import pg from 'pg';
import type { Migration } from '../../src/store/migrations/migration.js';
import { createPostgresSchema, createSqliteFile, createTestDatabase, type TestDatabase } from './support/testDatabases.js';

const T0 = Date.parse('2026-03-02T10:00:00.000Z'); // a Monday

function newKey(overrides: Partial<NewKey> = {}): NewKey {
  const hash = hashApiKey(generateApiKey(overrides.kind ?? 'live'));
  return {
    id: keyIdFromHash(hash),
    name: 'app',
    kind: 'live',
    hash,
    createdAt: T0,
    expiresAt: null,
    rateLimitRpm: null,
    tokensPerMinute: null,
    maxConcurrent: null,
    tier: null,
    ...overrides,
  };
}

let requestCounter = 0;
function usage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  requestCounter++;
  return {
    time: new Date(T0).toISOString(),
    requestId: `req_${requestCounter}`,
    keyId: 'key_a',
    modelCanonical: 'gpt-x',
    provider: 'openai',
    providerModel: 'gpt-x-2026',
    status: 200,
    errorCode: null,
    promptTokens: 10,
    cachedTokens: 2,
    cacheWriteTokens: 1,
    completionTokens: 5,
    reasoningTokens: 3,
    costMicros: 1_000,
    ttftMs: null,
    totalLatencyMs: 120,
    attempts: 1,
    stream: false,
    metadata: {},
    ...overrides,
  };
}

describe.each(['sqlite', 'postgres'] as const)('GatewayStore on %s', (kind) => {
  let database: TestDatabase;
  let store: GatewayStore;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = createStore(database.store);
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  describe('migrations', () => {
    it('applies every migration at open and records it in schema_migrations', async () => {
      expect(await store.appliedMigrations()).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('is idempotent: opening the same database again applies nothing twice', async () => {
      const again = createStore(database.store);
      await again.open();
      await again.open();
      expect(await again.appliedMigrations()).toEqual(MIGRATIONS.map((migration) => migration.version));
      await again.close();
    });

    it('applies a newly registered migration once, in its own version, and keeps the data', async () => {
      await store.insertKey(newKey({ name: 'kept' }));
      await store.close();
      const extra: Migration = {
        version: 999,
        name: 'test: spend counters',
        sqlite: 'CREATE TABLE test_counters (id TEXT PRIMARY KEY, value INTEGER NOT NULL)',
        postgres: 'CREATE TABLE test_counters (id TEXT PRIMARY KEY, value BIGINT NOT NULL)',
      };
      const migrations = [...MIGRATIONS, extra];
      const first = createStore(database.store, { migrations });
      const second = createStore(database.store, { migrations });
      // Two instances starting together: the lock (advisory lock / BEGIN IMMEDIATE) lets only one apply it.
      await Promise.all([first.open(), second.open()]);
      expect(await first.appliedMigrations()).toEqual([...MIGRATIONS.map((migration) => migration.version), 999]);
      expect((await first.listKeys()).map((key) => key.name)).toEqual(['kept']);
      await first.close();
      await second.close();
      store = createStore(database.store);
      await store.open();
    });

    it('rolls back a failing migration and reports it, leaving the version unapplied', async () => {
      await store.close();
      const broken: Migration = { version: 998, name: 'broken', sqlite: 'CREATE TABLE ok_table (x INTEGER); SELECT * FROM no_such_table', postgres: 'CREATE TABLE ok_table (x INTEGER); SELECT * FROM no_such_table' };
      const failing = createStore(database.store, { migrations: [...MIGRATIONS, broken] });
      await expect(failing.open()).rejects.toThrow(/no_such_table/);
      store = createStore(database.store);
      await store.open();
      expect(await store.appliedMigrations()).not.toContain(998);
    });
  });

  describe('keys', () => {
    it('inserts a key and finds it by id and by hash, hash only', async () => {
      const key = newKey({ name: 'ci', kind: 'test', tier: 'gold', rateLimitRpm: 60, tokensPerMinute: 10_000, maxConcurrent: 4, expiresAt: T0 + 86_400_000 });
      const stored = await store.insertKey(key);
      expect(stored).toEqual({ ...key, revokedAt: null });
      expect(await store.getKey(key.id)).toEqual({ ...key, revokedAt: null });
      const found = await store.findKeyByHash(key.hash);
      expect(found?.id).toBe(key.id);
      expect(Buffer.isBuffer(found?.hash)).toBe(true);
      expect(found?.hash.equals(key.hash)).toBe(true);
    });

    it('answers undefined for unknown ids and hashes', async () => {
      expect(await store.getKey('key_0000000000000000')).toBeUndefined();
      expect(await store.findKeyByHash(hashApiKey(generateApiKey('live')))).toBeUndefined();
    });

    it('refuses a second key with the same hash', async () => {
      const key = newKey();
      await store.insertKey(key);
      await expect(store.insertKey({ ...key, id: 'key_ffffffffffffffff' })).rejects.toThrow();
    });

    it('lists keys oldest first, revoked ones included', async () => {
      const a = await store.insertKey(newKey({ name: 'a', createdAt: T0 + 2 }));
      const b = await store.insertKey(newKey({ name: 'b', createdAt: T0 + 1 }));
      await store.revokeKey(a.id, T0 + 10);
      expect((await store.listKeys()).map((key) => [key.name, key.revokedAt])).toEqual([
        ['b', null],
        ['a', T0 + 10],
      ]);
      expect(b.revokedAt).toBeNull();
    });

    it('updates only the fields given; null clears a field', async () => {
      const key = await store.insertKey(newKey({ rateLimitRpm: 10, tier: 'gold', expiresAt: T0 + 1000 }));
      const renamed = await store.updateKey(key.id, { name: 'renamed', maxConcurrent: 3 });
      expect(renamed).toMatchObject({ name: 'renamed', maxConcurrent: 3, rateLimitRpm: 10, tier: 'gold', expiresAt: T0 + 1000 });
      const cleared = await store.updateKey(key.id, { rateLimitRpm: null, tier: null, expiresAt: null, tokensPerMinute: 500 });
      expect(cleared).toMatchObject({ name: 'renamed', rateLimitRpm: null, tier: null, expiresAt: null, tokensPerMinute: 500, maxConcurrent: 3 });
      expect(await store.getKey(key.id)).toEqual(cleared);
      expect(await store.updateKey('key_0000000000000000', { name: 'x' })).toBeUndefined();
    });

    it('revokes once: a second revocation keeps the first time', async () => {
      const key = await store.insertKey(newKey());
      expect((await store.revokeKey(key.id, T0 + 5))?.revokedAt).toBe(T0 + 5);
      expect((await store.revokeKey(key.id, T0 + 99))?.revokedAt).toBe(T0 + 5);
      expect((await store.findKeyByHash(key.hash))?.revokedAt).toBe(T0 + 5);
      expect(await store.revokeKey('key_0000000000000000', T0)).toBeUndefined();
    });
  });

  describe('usage ledger', () => {
    it('stores every field of a record, metadata as JSON and cost as an integer beyond 32 bits', async () => {
      const record = usage({
        keyId: 'key_full',
        status: 502,
        errorCode: 'upstream_error',
        ttftMs: 87,
        stream: true,
        attempts: 3,
        costMicros: 5_000_000_000_123,
        metadata: { trace: 'abc', 'team name': 'ünïcode "quoted"' },
      });
      await store.insertUsage([record]);
      expect(await store.listUsage({ requestId: record.requestId })).toEqual([record]);
    });

    it('ignores an empty batch and writes a large batch atomically', async () => {
      await store.insertUsage([]);
      const batch = Array.from({ length: 2_500 }, (_, index) => usage({ keyId: 'key_big', costMicros: index }));
      await store.insertUsage(batch);
      const summary = await store.queryUsage({ keyId: 'key_big' });
      expect(summary.totals.requests).toBe(2_500);
      expect(summary.totals.costMicros).toBe((2_499 * 2_500) / 2);
    });

    it('writes nothing of a batch that fails part-way', async () => {
      const bad = usage({ status: Number.NaN });
      await expect(store.insertUsage([usage({ keyId: 'key_atomic' }), { ...bad, keyId: 'key_atomic', requestId: null as unknown as string }])).rejects.toThrow();
      expect((await store.queryUsage({ keyId: 'key_atomic' })).totals.requests).toBe(0);
    });

    it('sums totals with filters on key, model, provider and a [from, to) window', async () => {
      await store.insertUsage([
        usage({ keyId: 'k1', modelCanonical: 'm1', provider: 'p1', time: '2026-03-01T23:59:59.999Z', costMicros: 1 }),
        usage({ keyId: 'k1', modelCanonical: 'm1', provider: 'p2', time: '2026-03-02T00:00:00.000Z', costMicros: 10 }),
        usage({ keyId: 'k1', modelCanonical: 'm2', provider: 'p1', time: '2026-03-02T12:00:00.000Z', costMicros: 100, status: 429, errorCode: 'rate_limit_exceeded' }),
        usage({ keyId: 'k2', modelCanonical: 'm1', provider: 'p1', time: '2026-03-03T00:00:00.000Z', costMicros: 1000, status: 499 }),
        usage({ keyId: null, modelCanonical: null, provider: null, time: '2026-03-03T01:00:00.000Z', costMicros: 0, status: 401, errorCode: 'invalid_api_key', promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0 }),
      ]);
      const all = await store.queryUsage({});
      expect(all.totals).toEqual({ requests: 5, errors: 3, promptTokens: 40, cachedTokens: 8, cacheWriteTokens: 4, completionTokens: 20, reasoningTokens: 12, costMicros: 1111 });
      expect(all.groups).toBeUndefined();
      expect((await store.queryUsage({ keyId: 'k1' })).totals.costMicros).toBe(111);
      expect((await store.queryUsage({ model: 'm1' })).totals.costMicros).toBe(1011);
      expect((await store.queryUsage({ provider: 'p1', keyId: 'k1' })).totals.costMicros).toBe(101);
      const window = await store.queryUsage({ fromMs: Date.parse('2026-03-02T00:00:00Z'), toMs: Date.parse('2026-03-03T00:00:00Z') });
      expect(window.totals).toMatchObject({ requests: 2, errors: 1, costMicros: 110 });
      expect((await store.queryUsage({ keyId: 'nobody' })).totals).toEqual({ requests: 0, errors: 0, promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0, costMicros: 0 });
    });

    it.each([
      ['day', [['2026-03-01', 1], ['2026-03-02', 110], ['2026-03-03', 1000]]],
      ['key', [['k1', 111], ['k2', 1000], [null, 0]]],
      ['model', [['m1', 1011], ['m2', 100], [null, 0]]],
      ['provider', [['p1', 1101], ['p2', 10], [null, 0]]],
    ] as const)('groups by %s (UTC days, nulls last) with totals equal to the sum of the groups', async (groupBy, expected) => {
      await store.insertUsage([
        usage({ keyId: 'k1', modelCanonical: 'm1', provider: 'p1', time: '2026-03-01T23:59:59.999Z', costMicros: 1 }),
        usage({ keyId: 'k1', modelCanonical: 'm1', provider: 'p2', time: '2026-03-02T00:00:00.000Z', costMicros: 10 }),
        usage({ keyId: 'k1', modelCanonical: 'm2', provider: 'p1', time: '2026-03-02T23:59:59.000Z', costMicros: 100 }),
        usage({ keyId: 'k2', modelCanonical: 'm1', provider: 'p1', time: '2026-03-03T00:00:00.000Z', costMicros: 1000 }),
        usage({ keyId: null, modelCanonical: null, provider: null, time: '2026-03-03T05:00:00.000Z', costMicros: 0, status: 401 }),
      ]);
      const summary = await store.queryUsage({ groupBy });
      expect(summary.groups?.map((group) => [group.group, group.costMicros])).toEqual(expected);
      expect(summary.totals.requests).toBe(5);
      expect(summary.totals.costMicros).toBe(1111);
      expect(summary.totals.errors).toBe(1);
    });

    it('lists records newest first with a limit', async () => {
      await store.insertUsage([usage({ keyId: 'kl', time: '2026-03-02T00:00:01.000Z' }), usage({ keyId: 'kl', time: '2026-03-02T00:00:03.000Z' }), usage({ keyId: 'kl', time: '2026-03-02T00:00:02.000Z' })]);
      expect((await store.listUsage({ keyId: 'kl', limit: 2 })).map((record) => record.time)).toEqual(['2026-03-02T00:00:03.000Z', '2026-03-02T00:00:02.000Z']);
    });

    it('reports spend since a time, per key and for everyone (inclusive lower bound)', async () => {
      await store.insertUsage([
        usage({ keyId: 'ks', time: new Date(T0 - 1).toISOString(), costMicros: 1 }),
        usage({ keyId: 'ks', time: new Date(T0).toISOString(), costMicros: 20 }),
        usage({ keyId: 'ks', time: new Date(T0 + 5000).toISOString(), costMicros: 300 }),
        usage({ keyId: 'other', time: new Date(T0 + 1).toISOString(), costMicros: 4000 }),
      ]);
      expect(await store.spentMicrosSince('ks', T0)).toBe(320);
      expect(await store.spentMicrosSince('ks', T0 - 10)).toBe(321);
      expect(await store.spentMicrosSince(null, T0)).toBe(4320);
      expect(await store.spentMicrosSince('nobody', 0)).toBe(0);
    });

    it('skips records whose id it already holds: a batch written again is stored once, records without an id always', async () => {
      const batch = [usage({ keyId: 'k_retry', recordId: 'w1:1' }), usage({ keyId: 'k_retry', recordId: 'w1:2' }), usage({ keyId: 'k_retry', recordId: 'w1:3' })];
      await store.insertUsage(batch);
      await store.insertUsage([...batch, usage({ keyId: 'k_retry', recordId: 'w1:4', costMicros: 7 })]);
      const anonymous = usage({ keyId: 'k_retry' });
      await store.insertUsage([anonymous]);
      await store.insertUsage([anonymous]);
      const summary = await store.queryUsage({ keyId: 'k_retry' });
      expect(summary.totals.requests).toBe(6);
      expect(summary.totals.costMicros).toBe(3 * 1_000 + 7 + 2 * 1_000);
      expect((await store.listUsage({ requestId: batch[0]!.requestId }))).toEqual([batch[0]]);
    });

    it('with the ledger writer: a write that landed but lost its acknowledgement is retried without doubling a row', async () => {
      let lostAcknowledgements = 1;
      const flaky = {
        insertUsage: async (records: readonly UsageRecord[]) => {
          await store.insertUsage(records);
          if (lostAcknowledgements-- > 0) throw new Error('connection reset after commit');
        },
      };
      const writer = new LedgerWriter({ store: flaky, logger: pino({ level: 'silent' }), batchSize: 50, retryDelayMs: 1 });
      for (let i = 0; i < 120; i++) writer.record(usage({ keyId: 'k_lost_ack', costMicros: 1 }));
      await writer.close();
      expect(writer.getStats()).toMatchObject({ written: 120, failedWrites: 1, dropped: 0 });
      expect((await store.queryUsage({ keyId: 'k_lost_ack' })).totals).toMatchObject({ requests: 120, costMicros: 120 });
    });
  });

  describe('budgets', () => {
    it('creates, then replaces, the budget of one (scope, key, period)', async () => {
      const first = await store.putBudget({ scope: 'key', keyId: 'key_a', period: 'daily', limitMicros: 5_000_000, enforce: true }, T0);
      expect(first.created).toBe(true);
      expect(first.budget).toMatchObject({ scope: 'key', keyId: 'key_a', period: 'daily', limitMicros: 5_000_000, enforce: true, createdAt: T0, updatedAt: T0 });
      expect(first.budget.id).toMatch(/^bud_[0-9a-f]{16}$/);
      const second = await store.putBudget({ scope: 'key', keyId: 'key_a', period: 'daily', limitMicros: 7_000_000_000_000, enforce: false }, T0 + 1000);
      expect(second.created).toBe(false);
      expect(second.budget).toEqual({ ...first.budget, limitMicros: 7_000_000_000_000, enforce: false, updatedAt: T0 + 1000 });
      expect(await store.getBudget(first.budget.id)).toEqual(second.budget);
    });

    it('keeps global budgets apart from key budgets and periods apart from each other', async () => {
      await store.putBudget({ scope: 'global', keyId: null, period: 'monthly', limitMicros: 100, enforce: true }, T0);
      await store.putBudget({ scope: 'global', keyId: null, period: 'monthly', limitMicros: 200, enforce: true }, T0 + 1);
      await store.putBudget({ scope: 'global', keyId: null, period: 'weekly', limitMicros: 50, enforce: true }, T0 + 2);
      await store.putBudget({ scope: 'key', keyId: 'key_a', period: 'monthly', limitMicros: 10, enforce: true }, T0 + 3);
      await store.putBudget({ scope: 'key', keyId: 'key_b', period: 'monthly', limitMicros: 20, enforce: false }, T0 + 4);
      const all = await store.listBudgets();
      expect(all.map((budget) => [budget.scope, budget.keyId, budget.period, budget.limitMicros])).toEqual([
        ['global', null, 'monthly', 200],
        ['global', null, 'weekly', 50],
        ['key', 'key_a', 'monthly', 10],
        ['key', 'key_b', 'monthly', 20],
      ]);
      expect((await store.listBudgets({ keyId: 'key_b' })).map((budget) => budget.limitMicros)).toEqual([20]);
    });

    it('lets concurrent writers of the same budget end with one row', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, index) => store.putBudget({ scope: 'key', keyId: 'key_c', period: 'weekly', limitMicros: index, enforce: true }, T0)));
      expect(await store.listBudgets({ keyId: 'key_c' })).toHaveLength(1);
    });

    it('deletes a budget by id once', async () => {
      const { budget } = await store.putBudget({ scope: 'key', keyId: 'key_d', period: 'daily', limitMicros: 1, enforce: true }, T0);
      expect(await store.deleteBudget(budget.id)).toEqual(budget);
      expect(await store.deleteBudget(budget.id)).toBeUndefined();
      expect(await store.getBudget(budget.id)).toBeUndefined();
    });

    it('refuses a key budget without a key and a global budget with one', async () => {
      await expect(store.putBudget({ scope: 'key', keyId: null, period: 'daily', limitMicros: 1, enforce: true }, T0)).rejects.toThrow();
      await expect(store.putBudget({ scope: 'global', keyId: 'key_x', period: 'daily', limitMicros: 1, enforce: true }, T0)).rejects.toThrow();
    });
  });

  it('pings while open and fails once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/not open/);
    await store.open();
  });
});

describe('SQLite specifics', () => {
  let database: ReturnType<typeof createSqliteFile>;
  beforeAll(() => {
    database = createSqliteFile();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('creates the file and its folder, in WAL mode', async () => {
    expect(existsSync(database.path)).toBe(false);
    const store = createStore(database.store);
    await store.open();
    expect(existsSync(database.path)).toBe(true);
    await store.close();
    const db = new Database(database.path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('opens an in-memory database for sqlite::memory:', async () => {
    const store = createStore('sqlite::memory:');
    await store.open();
    await store.insertUsage([usage()]);
    expect((await store.queryUsage({})).totals.requests).toBe(1);
    await store.close();
  });
});

describe('Postgres specifics', () => {
  it('fails to open with a clear error when the server is unreachable', async () => {
    const store = createStore('postgres://postgres@127.0.0.1:1/test');
    await expect(store.open()).rejects.toThrow();
  });

  it('keeps schemas apart: a second schema starts empty', async () => {
    const [a, b] = await Promise.all([createPostgresSchema(), createPostgresSchema()]);
    const storeA = createStore(a.store);
    const storeB = createStore(b.store);
    await Promise.all([storeA.open(), storeB.open()]);
    await storeA.insertKey(newKey());
    expect(await storeB.listKeys()).toEqual([]);
    await Promise.all([storeA.close(), storeB.close()]);
    await Promise.all([a.drop(), b.drop()]);
  });

  it('times out a usage write the server holds, and the ledger retries it without doubling a row once the server lets go', async () => {
    const database = await createPostgresSchema();
    const store = new PostgresStore({ url: database.store, ledgerWriteTimeoutMs: 300 });
    await store.open();
    const locker = new pg.Client({ connectionString: database.store });
    await locker.connect();
    try {
      // A lock nobody releases for a while stands in for a hung server: the write waits without an answer.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE usage_records IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await expect(store.insertUsage([usage({ keyId: 'k_hung', recordId: 'hung:0' })])).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);

      const writer = new LedgerWriter({ store, logger: pino({ level: 'silent' }), batchSize: 25, retryDelayMs: 100, maxAttempts: 20 });
      for (let i = 0; i < 50; i++) writer.record(usage({ keyId: 'k_hung', costMicros: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(writer.getStats().failedWrites).toBeGreaterThanOrEqual(1);
      await locker.query('COMMIT');
      await writer.close();
      expect(writer.getStats()).toMatchObject({ written: 50, dropped: 0 });
      // The timed-out statements may have committed once the lock went; ids keep each record to one row.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const totals = (await store.queryUsage({ keyId: 'k_hung' })).totals;
      expect(totals.costMicros).toBe(50 + (totals.requests - 50) * 1_000);
      expect(totals.requests === 50 || totals.requests === 51).toBe(true);
    } finally {
      await locker.end();
      await store.close();
      await database.drop();
    }
  });
});
