import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/gatewayError.js';
import type { BudgetDefinition } from '../../src/limits/budgetDefinition.js';
import type { BudgetReservation } from '../../src/limits/budgetGuard.js';
import type { BudgetCounters, SpendSeed } from '../../src/limits/budgetCounters.js';
import { CountingBudgetGuard } from '../../src/limits/countingBudgetGuard.js';
import { FailoverBudgetCounters } from '../../src/limits/failoverBudgetCounters.js';
import { MemoryBudgetCounters } from '../../src/limits/memoryBudgetCounters.js';
import { PostgresBudgetCounters } from '../../src/limits/postgresBudgetCounters.js';
import { RedisBudgetCounters } from '../../src/limits/redisBudgetCounters.js';
import { RedisFailurePolicy, type RedisFailureMode } from '../../src/limits/redisFailurePolicy.js';
import { SlicedBudgetCounters } from '../../src/limits/slicedBudgetCounters.js';
import { budgetSpend } from '../../src/store/migrations/002_budgetSpend.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import {
  FailureCounter, ManualClock, MemoryBudgetDefinitions, MemorySpendHistory, REDIS_URL, budget, clearRedisPrefix, createPostgresSchema, testKey, uniqueRedisPrefix,
} from './limitsTestSupport.js';

const silent = pino({ level: 'silent' });
const at = (iso: string) => Date.parse(iso);

interface Backend {
  name: string;
  counters(seed: SpendSeed, clock: () => number): BudgetCounters;
}

let redis: Redis;
const prefixes: string[] = [];
let pool: pg.Pool;
let dropSchema: () => Promise<void>;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL, 'switchyard-test-budgets');
  await waitForRedis(redis);
  const schema = await createPostgresSchema();
  dropSchema = schema.drop;
  pool = new pg.Pool({ connectionString: schema.store, max: 20 });
  await pool.query(budgetSpend.postgres);
});

afterAll(async () => {
  for (const prefix of prefixes) await clearRedisPrefix(prefix);
  redis?.disconnect();
  await pool?.end();
  await dropSchema?.();
});

const backends: Backend[] = [
  { name: 'memory', counters: (seed) => new MemoryBudgetCounters(seed) },
  {
    name: 'redis',
    counters: (seed) => {
      const prefix = uniqueRedisPrefix();
      prefixes.push(prefix);
      return new RedisBudgetCounters(redis, prefix, seed);
    },
  },
  { name: 'postgres', counters: (seed) => new PostgresBudgetCounters(pool, seed) },
  {
    name: 'redis-sliced',
    // No flush timer: the tests decide when anything happens (slicedBudgetCounters.test.ts covers the flushes).
    counters: (seed, clock) => {
      const prefix = uniqueRedisPrefix();
      prefixes.push(prefix);
      return new SlicedBudgetCounters(new RedisBudgetCounters(redis, prefix, seed), { clock, flushIntervalMs: 0 });
    },
  },
];

/** A fresh key id per test: Redis and Postgres counters are named after it. */
function freshKey() {
  return testKey({ keyId: `key_${randomUUID().replace(/-/g, '').slice(0, 16)}` });
}

async function refusal(attempt: () => Promise<BudgetReservation> | BudgetReservation): Promise<GatewayError> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected budget_exhausted');
}

function setup(backend: Backend, definitions: BudgetDefinition[], options: { ttlMs?: number; history?: MemorySpendHistory; clock?: ManualClock } = {}) {
  const clock = options.clock ?? new ManualClock();
  const history = options.history ?? new MemorySpendHistory();
  const seed: SpendSeed = (window) => history.spentMicrosSince(window.definition.scope === 'key' ? window.definition.keyId : null, window.start);
  const source = new MemoryBudgetDefinitions(definitions);
  const guard = new CountingBudgetGuard({ definitions: source, counters: backend.counters(seed, clock.now), logger: silent, clock: clock.now, reservationTtlMs: options.ttlMs });
  const settle = async (reservation: BudgetReservation, micros: number) => {
    reservation.settle(micros);
    await guard.idle();
  };
  return { clock, guard, history, source, settle };
}

describe.each(backends)('$name budget counters', (backend) => {
  it('sends nothing and counts nothing for a key without budgets', async () => {
    const { guard, clock } = setup(backend, []);
    const reservation = await guard.reserve(freshKey(), 1_000_000, clock.now());
    expect(reservation.headers).toEqual({});
    reservation.settle(5);
  });

  it('reserves the maximum, settles the real cost (lower or higher) and reports the spend in USD', async () => {
    const key = freshKey();
    const { guard, clock, settle } = setup(backend, [budget({ keyId: key.keyId, period: 'daily', limitMicros: 10_000_000 })]);
    const first = await guard.reserve(key, 4_000_000, clock.now());
    expect(first.headers).toEqual({ 'x-budget-daily-limit': '10', 'x-budget-daily-spend': '0' });
    await settle(first, 1_250_000);
    const second = await guard.reserve(key, 4_000_000, clock.now());
    expect(second.headers['x-budget-daily-spend']).toBe('1.25');
    await settle(second, 6_000_000);
    const third = await guard.reserve(key, 1, clock.now());
    expect(third.headers['x-budget-daily-spend']).toBe('7.25');
    second.settle(1_000_000_000);
    await settle(third, 0);
    expect((await guard.reserve(key, 1, clock.now())).headers['x-budget-daily-spend']).toBe('7.25');
  });

  it('admits while anything is left and refuses once settled + reserved reach the limit (429 budget_exhausted)', async () => {
    const key = freshKey();
    const { guard, clock, settle } = setup(backend, [budget({ keyId: key.keyId, period: 'daily', limitMicros: 10_000 })]);
    const a = await guard.reserve(key, 6_000, clock.now());
    const b = await guard.reserve(key, 6_000, clock.now());
    const error = await refusal(() => guard.reserve(key, 1, clock.now()));
    expect(error).toMatchObject({ status: 429, code: 'budget_exhausted', type: 'rate_limit_error', retryable: false, rateLimitSource: 'gateway' });
    // 10:00 UTC: the daily period ends in 14 h.
    expect(error.retryAfterSeconds).toBe(14 * 3600);
    expect(error.headers).toEqual({
      'x-budget-daily-limit': '0.01',
      'x-budget-daily-spend': '0',
      'x-budget-exceeded': 'true',
      'x-budget-exceeded-period': 'daily',
      'x-budget-exceeded-scope': 'key',
    });
    expect(error.message).toContain('2025-03-13T00:00:00.000Z');
    await settle(a, 100);
    await settle(b, 100);
    await guard.reserve(key, 6_000, clock.now());
  });

  it('never refuses for a budget with enforce: false, but tracks and reports it', async () => {
    const key = freshKey();
    const { guard, clock, settle } = setup(backend, [budget({ keyId: key.keyId, period: 'weekly', limitMicros: 1_000, enforce: false })]);
    for (let index = 0; index < 3; index++) await settle(await guard.reserve(key, 5_000, clock.now()), 5_000);
    const reservation = await guard.reserve(key, 5_000, clock.now());
    expect(reservation.headers).toEqual({ 'x-budget-weekly-limit': '0.001', 'x-budget-weekly-spend': '0.015' });
  });

  it('lets a reservation that is never settled expire instead of blocking the budget', async () => {
    const key = freshKey();
    const { guard, clock, settle } = setup(backend, [budget({ keyId: key.keyId, period: 'monthly', limitMicros: 10_000 })], { ttlMs: 60_000 });
    const crashed = await guard.reserve(key, 10_000, clock.now());
    await refusal(() => guard.reserve(key, 1, clock.advance(59_999)));
    const next = await guard.reserve(key, 1_000, clock.advance(1));
    // A late settlement of the expired reservation still counts what it cost.
    await settle(crashed, 2_000);
    await settle(next, 1_000);
    expect((await guard.reserve(key, 1, clock.now())).headers['x-budget-monthly-spend']).toBe('0.003');
  });

  it.each<[BudgetDefinition['period'], string, string]>([
    ['daily', '2025-03-12T23:59:59.999Z', '2025-03-13T00:00:00.000Z'],
    ['weekly', '2025-03-16T23:59:59.999Z', '2025-03-17T00:00:00.000Z'],
    ['monthly', '2025-02-28T23:59:59.999Z', '2025-03-01T00:00:00.000Z'],
    ['monthly', '2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z'],
  ])('a %s budget starts afresh at the UTC period boundary (%s → %s)', async (period, before, after) => {
    const key = freshKey();
    const clock = new ManualClock(at(before));
    const { guard, settle } = setup(backend, [budget({ keyId: key.keyId, period, limitMicros: 1_000 })], { clock });
    await settle(await guard.reserve(key, 1_000, clock.now()), 1_000);
    const error = await refusal(() => guard.reserve(key, 1, clock.now()));
    expect(error.retryAfterSeconds).toBe(1);
    clock.ms = at(after);
    const fresh = await guard.reserve(key, 1, clock.now());
    expect(fresh.headers[`x-budget-${period}-spend`]).toBe('0');
  });

  it('applies global budgets to every key and names the scope; only key budgets appear in the headers', async () => {
    const a = freshKey();
    const b = freshKey();
    const { guard, clock, settle, source } = setup(backend, []);
    source.definitions = [budget({ scope: 'global', keyId: null, period: 'daily', limitMicros: 5_000 }), budget({ keyId: a.keyId, period: 'monthly', limitMicros: 1_000_000 })];
    // Another test's global budget would share the counter: make this one unique with its own period start.
    clock.ms = at(`2031-0${1 + (backends.indexOf(backend) % 9)}-15T10:00:00.000Z`);
    const first = await guard.reserve(a, 5_000, clock.now());
    expect(first.headers).toEqual({ 'x-budget-monthly-limit': '1', 'x-budget-monthly-spend': '0' });
    await settle(first, 5_000);
    const error = await refusal(() => guard.reserve(b, 1, clock.now()));
    expect(error.headers).toEqual({ 'x-budget-exceeded': 'true', 'x-budget-exceeded-period': 'daily', 'x-budget-exceeded-scope': 'global' });
    expect(error.message).toMatch(/^The gateway's daily budget of \$0.005 is spent/);
  });

  it('reports the exhausted budget that resets last', async () => {
    const key = freshKey();
    const { guard, clock, settle } = setup(backend, [
      budget({ keyId: key.keyId, period: 'daily', limitMicros: 1_000 }),
      budget({ keyId: key.keyId, period: 'monthly', limitMicros: 1_000 }),
    ]);
    await settle(await guard.reserve(key, 1_000, clock.now()), 1_000);
    const error = await refusal(() => guard.reserve(key, 1, clock.now()));
    expect(error.headers).toMatchObject({ 'x-budget-exceeded-period': 'monthly', 'x-budget-daily-spend': '0.001', 'x-budget-monthly-spend': '0.001' });
    // 2025-03-12T10:00Z → 2025-04-01T00:00Z
    expect(error.retryAfterSeconds).toBe((at('2025-04-01T00:00:00.000Z') - clock.now()) / 1000);
  });

  it("starts a period's counter from the ledger, so a restart does not forget what was spent", async () => {
    const key = freshKey();
    const history = new MemorySpendHistory();
    const clock = new ManualClock();
    history.rows.push({ keyId: key.keyId, at: clock.now() - 3_600_000, micros: 9_000 }, { keyId: key.keyId, at: clock.now() - 86_400_000, micros: 50_000 }, { keyId: 'key_other', at: clock.now(), micros: 7 });
    const { guard, settle } = setup(backend, [budget({ keyId: key.keyId, period: 'daily', limitMicros: 10_000 })], { history, clock });
    const reservation = await guard.reserve(key, 2_000, clock.now());
    expect(reservation.headers['x-budget-daily-spend']).toBe('0.009');
    await refusal(() => guard.reserve(key, 1, clock.now()));
    await settle(reservation, 500);
    const last = await guard.reserve(key, 1, clock.now());
    expect(last.headers['x-budget-daily-spend']).toBe('0.0095');
    await settle(last, 500);
    await refusal(() => guard.reserve(key, 1, clock.now()));
    expect(history.calls).toBe(1);
  });

  it('under concurrency overshoots by at most one reservation', async () => {
    const key = freshKey();
    const { guard, clock } = setup(backend, [budget({ keyId: key.keyId, period: 'daily', limitMicros: 10_500 })]);
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => guard.reserve(key, 1_000, clock.now())));
    const admitted = results.filter((result) => result.status === 'fulfilled');
    expect(admitted).toHaveLength(11);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'budget_exhausted' });
  });
});

describe.each<[RedisFailureMode, boolean]>([
  ['open', false],
  ['closed', false],
  ['open', true],
  ['closed', true],
])('Redis budget counters with Redis unreachable, on_redis_failure: %s (sliced: %s)', (mode, sliced) => {
  it(mode === 'open' ? 'counts in memory on this instance' : 'refuses with 503 model_unavailable', async () => {
    const down = connectRedis('redis://127.0.0.1:1', 'switchyard-test-down');
    down.on('error', () => undefined);
    try {
      const key = freshKey();
      const failures = new FailureCounter();
      const policy = new RedisFailurePolicy(mode, silent, failures);
      const clock = new ManualClock();
      const redisCounters = new RedisBudgetCounters(down, uniqueRedisPrefix());
      const primary = sliced ? new SlicedBudgetCounters(redisCounters, { clock: clock.now, flushIntervalMs: 0 }) : redisCounters;
      const counters = new FailoverBudgetCounters(primary, new MemoryBudgetCounters(), policy);
      const guard = new CountingBudgetGuard({ definitions: new MemoryBudgetDefinitions([budget({ keyId: key.keyId, period: 'daily', limitMicros: 1_000 })]), counters, logger: silent, clock: clock.now });
      if (mode === 'open') {
        const reservation = await guard.reserve(key, 1_000, clock.now());
        await refusal(() => guard.reserve(key, 1, clock.now()));
        reservation.settle(10);
        await guard.idle();
        await guard.reserve(key, 1, clock.now());
        expect(failures.counts.get('settle')).toBeUndefined();
      } else {
        const error = await refusal(() => guard.reserve(key, 1, clock.now()));
        expect(error).toMatchObject({ status: 503, code: 'model_unavailable' });
      }
      expect(failures.counts.get('reserve')).toBeGreaterThanOrEqual(1);
    } finally {
      down.disconnect();
    }
  });
});

describe('the migration', () => {
  it('is registered in the store migration list', async () => {
    const { MIGRATIONS } = await import('../../src/store/migrations/index.js');
    expect(MIGRATIONS).toContain(budgetSpend);
    expect(readFileSync(new URL('../../src/limits/postgresBudgetCounters.ts', import.meta.url), 'utf8')).toContain('budget_spend');
  });
});
