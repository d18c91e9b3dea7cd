import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { hashApiKey, keyIdFromHash } from '../../src/auth/apiKeyFormat.js';
import { parseConfig } from '../../src/config/parseConfig.js';
import type { ConfigInput } from '../../src/config/configSchema.js';
import { configBudgets, createLimitServices } from '../../src/limits/createLimitServices.js';
import { MemoryRequestLimiter } from '../../src/limits/memoryRequestLimiter.js';
import { unlimitedBudgets } from '../../src/limits/unlimited.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { TEST_API_KEY } from '../support/startStack.js';
import { FailureCounter, ManualClock, MemoryBudgetDefinitions, REDIS_URL, budget, clearRedisPrefix, testKey, uniqueRedisPrefix } from './limitsTestSupport.js';

const silent = pino({ level: 'silent' });
const config = (input: Partial<ConfigInput> = {}) => parseConfig({ catalog: 'none', ...input }, {}, 'test config');

describe('limits config', () => {
  it('defaults to on_redis_failure open, 15 min reservations and no budgets', () => {
    expect(config().limits).toMatchObject({ on_redis_failure: 'open', budget_reservation_ttl_seconds: 900, budgets: [] });
  });

  it.each([
    [{ limits: { on_redis_failure: 'maybe' } }, 'limits.on_redis_failure'],
    [{ limits: { budgets: [{ period: 'hourly', limit_usd: 1 }] } }, 'limits.budgets[0].period'],
    [{ limits: { budgets: [{ period: 'daily', limit_usd: -1 }] } }, 'limits.budgets[0].limit_usd'],
    [{ limits: { budgets: [{ period: 'daily', limit_usd: 1, scope: 'key' }] } }, 'limits.budgets[0].scope'],
    [{ keys: [{ name: 'a', key: TEST_API_KEY, max_concurrent: 0 }] }, 'keys[0].max_concurrent'],
  ])('rejects %j naming %s', (input, path) => {
    expect(() => config(input as Partial<ConfigInput>)).toThrow(path);
  });

  it('turns limits.budgets and keys[].budgets into definitions (USD → micro-USD, enforce by default)', () => {
    const parsed = config({
      keys: [{ name: 'a', key: TEST_API_KEY, budgets: [{ period: 'weekly', limit_usd: '2.5' as unknown as number, enforce: false }] }],
      limits: { budgets: [{ period: 'monthly', limit_usd: 100 }] },
    });
    expect(configBudgets(parsed)).toEqual([
      { scope: 'global', keyId: null, period: 'monthly', limitMicros: 100_000_000, enforce: true },
      { scope: 'key', keyId: keyIdFromHash(hashApiKey(TEST_API_KEY)), period: 'weekly', limitMicros: 2_500_000, enforce: false },
    ]);
  });
});

describe('createLimitServices', () => {
  it('without Redis or budgets: the in-memory limiter and no budget guard at all', async () => {
    const services = createLimitServices({ config: config(), logger: silent, metrics: new FailureCounter(), wallClock: Date.now });
    expect(services.limiter).toBeInstanceOf(MemoryRequestLimiter);
    expect(services.budgets).toBe(unlimitedBudgets);
    await services.start();
    await services.close();
  });

  it("serves the store's budgets from a cache and re-reads a key's budgets when told they changed", async () => {
    const clock = new ManualClock();
    const key = testKey();
    const store = new MemoryBudgetDefinitions([budget({ period: 'daily', limitMicros: 1_000 })]);
    const services = createLimitServices({ config: config(), logger: silent, metrics: new FailureCounter(), wallClock: clock.now, budgetDefinitions: store });
    const first = await services.budgets.reserve(key, 1_000, clock.now());
    await expect(Promise.resolve().then(() => services.budgets.reserve(key, 1, clock.now()))).rejects.toMatchObject({ code: 'budget_exhausted' });
    expect(store.lookups).toBe(1);
    store.definitions = [budget({ period: 'daily', limitMicros: 5_000 })];
    services.budgetsChanged(key.keyId);
    const raised = await services.budgets.reserve(key, 1, clock.now());
    expect(raised.headers['x-budget-daily-limit']).toBe('0.005');
    expect(store.lookups).toBe(2);
    first.settle(1_000);
    raised.settle(1);
    await services.close();
  });

  it('with Redis: counts budgets in slices, and close() pushes what was settled and gives the slices back', async () => {
    const redis = connectRedis(REDIS_URL, 'switchyard-test-limit-services');
    const prefix = uniqueRedisPrefix();
    try {
      await waitForRedis(redis);
      const clock = new ManualClock();
      const key = testKey();
      const store = new MemoryBudgetDefinitions([budget({ period: 'daily', limitMicros: 1_000_000 })]);
      const services = createLimitServices({ config: config({ redis_key_prefix: prefix }), logger: silent, metrics: new FailureCounter(), wallClock: clock.now, budgetDefinitions: store, redis });
      const first = await services.budgets.reserve(key, 10_000, clock.now());
      first.settle(2_500);
      const second = await services.budgets.reserve(key, 10_000, clock.now());
      second.settle(500);
      const hash = `${prefix}budget:key:${key.keyId}:daily:${Date.UTC(2025, 2, 12)}`;
      // This instance's slice is reserved (whether or not its timer has pushed the settlements yet).
      expect(Number(await redis.hget(hash, 'reserved'))).toBeGreaterThan(0);
      await services.close();
      expect(await redis.hmget(hash, 'spent', 'reserved')).toEqual(['3000', '0']);
    } finally {
      await clearRedisPrefix(prefix);
      redis.disconnect();
    }
  });
});
