import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { API_KEY_PATTERN, hashApiKey, keyIdFromHash } from '../auth/apiKeyFormat.js';
import type { BudgetConfig, Config } from '../config/configSchema.js';
import { usdToMicros } from '../pricing/offerPrice.js';
import { connectRedis, waitForRedis } from '../store/redisConnection.js';
import type { BudgetDefinition, BudgetDefinitions, SpendHistory } from './budgetDefinition.js';
import type { BudgetCounters, SpendSeed } from './budgetCounters.js';
import type { BudgetGuard } from './budgetGuard.js';
import { CachedBudgetDefinitions } from './cachedBudgetDefinitions.js';
import { ConfiguredBudgetDefinitions } from './configuredBudgetDefinitions.js';
import { CountingBudgetGuard } from './countingBudgetGuard.js';
import { FailoverBudgetCounters } from './failoverBudgetCounters.js';
import { MemoryBudgetCounters } from './memoryBudgetCounters.js';
import { MemoryRequestLimiter } from './memoryRequestLimiter.js';
import { PostgresBudgetCounters } from './postgresBudgetCounters.js';
import { RedisBudgetCounters } from './redisBudgetCounters.js';
import { RedisFailurePolicy, type RedisFailureCounter } from './redisFailurePolicy.js';
import { RedisRequestLimiter } from './redisRequestLimiter.js';
import type { RequestLimiter } from './requestLimiter.js';
import { SlicedBudgetCounters } from './slicedBudgetCounters.js';
import { unlimitedBudgets } from './unlimited.js';

export interface LimitServicesDeps {
  config: Config;
  logger: Logger;
  metrics: LimitsRedisMetrics;
  /** Wall-clock ms. */
  wallClock: () => number;
  /** Budgets set through the admin API (the store); combined with the config's and cached here. */
  budgetDefinitions?: BudgetDefinitions;
  /** The usage ledger: budget counters start from what it says was spent in their period. */
  spendHistory?: SpendHistory;
  /** The Postgres store's pool (or a getter, for a pool opened after start-up): budget counters live in Postgres when there is no Redis. */
  pgPool?: Pool | (() => Pool);
  /** A Redis connection to use instead of one made from `config.redis` (tests). */
  redis?: Redis;
}

/** What the limits count about their use of Redis. */
export interface LimitsRedisMetrics extends RedisFailureCounter {
  countLimitsRedisSync(counter: 'limits' | 'budgets'): void;
}

export interface LimitServices {
  limiter: RequestLimiter;
  budgets: BudgetGuard;
  /**
   * Budget definitions changed (the store calls this for changes made here and for those it hears of from other
   * instances on Redis `<redis_key_prefix>budgets`): drops the cached budgets of one key, or of every key.
   */
  budgetsChanged(keyId?: string): void;
  /** Connects Redis; an outage is logged, not thrown (`limits.on_redis_failure` decides at request time). */
  start(): Promise<void>;
  /** Waits for pending budget settlements, returns budget slices, then disconnects. */
  close(): Promise<void>;
}

/** How long start() waits for Redis; requests before it connects follow `limits.on_redis_failure`. */
const START_WAIT_MS = 2_000;

/**
 * The one place that picks the limiter and the budget guard from config: in Redis when `redis:` is set (limits
 * then hold across replicas), else budgets in Postgres when the store is Postgres, else in memory.
 */
export function createLimitServices(deps: LimitServicesDeps): LimitServices {
  const { config, logger, wallClock } = deps;
  const prefix = config.redis_key_prefix;
  const policy = new RedisFailurePolicy(config.limits.on_redis_failure, logger, deps.metrics, wallClock);
  const ownsRedis = deps.redis === undefined && config.redis !== undefined;
  const redis = deps.redis ?? (config.redis === undefined ? undefined : connectRedis(config.redis, 'switchyard-limits'));
  // Failures are counted and logged per call by the policy; ioredis keeps reconnecting.
  if (ownsRedis) redis?.on('error', () => undefined);

  const memoryLimiter = new MemoryRequestLimiter(wallClock);
  const redisLimiter = redis === undefined ? undefined : new RedisRequestLimiter({
          redis,
          prefix,
          policy,
          fallback: memoryLimiter,
          clock: wallClock,
          onSync: () => deps.metrics.countLimitsRedisSync('limits'),
        });

  const configured = new ConfiguredBudgetDefinitions(configBudgets(config), deps.budgetDefinitions);
  const definitions = deps.budgetDefinitions === undefined ? undefined : new CachedBudgetDefinitions(configured, logger, wallClock);
  const seed = spendSeed(deps.spendHistory);
  let guard: CountingBudgetGuard | undefined;
  let slices: SlicedBudgetCounters | undefined;
  if (!configured.empty || definitions !== undefined) {
    const memory = new MemoryBudgetCounters(seed);
    let counters: BudgetCounters = memory;
    if (redis !== undefined) {
      // A failed flush is retried by the next one: count and log it like a failed settlement.
      slices = new SlicedBudgetCounters(new RedisBudgetCounters(redis, prefix, seed), {
        clock: wallClock,
        onFlushError: (error) => policy.fail('settle', error, false),
        onSync: () => deps.metrics.countLimitsRedisSync('budgets'),
      });
      counters = new FailoverBudgetCounters(slices, memory, policy);
    } else if (deps.pgPool !== undefined) counters = new PostgresBudgetCounters(deps.pgPool, seed);
    guard = new CountingBudgetGuard({
      definitions: definitions ?? configured,
      counters,
      logger,
      clock: wallClock,
      reservationTtlMs: config.limits.budget_reservation_ttl_seconds * 1000,
    });
  }

  return {
    limiter: redisLimiter ?? memoryLimiter,
    budgets: guard ?? unlimitedBudgets,
    budgetsChanged: (keyId) => definitions?.invalidate(keyId),
    start: async () => {
      if (redis === undefined) return;
      try {
        await waitForRedis(redis, START_WAIT_MS);
      } catch (error) {
        logger.warn({ err: error, onRedisFailure: policy.mode }, 'Redis unavailable at start: rate limits and budgets fall back until it is back');
      }
    },
    close: async () => {
      await redisLimiter?.close();
      await guard?.idle();
      // Unused budget slices go back to the pool now rather than being charged in full when they expire.
      await slices?.close().catch((error: unknown) => logger.warn({ err: error }, 'budget slices could not be returned to Redis; they are charged in full when they expire'));
      if (ownsRedis) redis?.disconnect();
    },
  };
}

function spendSeed(history: SpendHistory | undefined): SpendSeed | undefined {
  if (history === undefined) return undefined;
  return (window) => history.spentMicrosSince(window.definition.scope === 'key' ? window.definition.keyId : null, window.start);
}

/** `limits.budgets` (global) and `keys[].budgets`, as definitions. */
export function configBudgets(config: Config): BudgetDefinition[] {
  const toDefinition = (budget: BudgetConfig, keyId: string | null): BudgetDefinition => ({
    scope: keyId === null ? 'global' : 'key',
    keyId,
    period: budget.period,
    limitMicros: usdToMicros(budget.limit_usd),
    enforce: budget.enforce,
  });
  const definitions = config.limits.budgets.map((budget) => toDefinition(budget, null));
  for (const key of config.keys) {
    if (key.budgets === undefined || !API_KEY_PATTERN.test(key.key)) continue;
    const keyId = keyIdFromHash(hashApiKey(key.key));
    for (const budget of key.budgets) definitions.push(toDefinition(budget, keyId));
  }
  return definitions;
}
