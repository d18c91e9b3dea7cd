import type { ConfigInput } from '../src/config/configSchema.js';
import { BENCH_API_KEY } from './benchConstants.js';
import { buildBenchConfig, type BenchConfigOptions } from './buildBenchConfig.js';

export interface StoreConfigOptions extends BenchConfigOptions {
  /** `redis://…`; absent: limits and budget counters live in memory. */
  redis?: string;
  redisKeyPrefix?: string;
}

/** Far above what the bench can spend or send (a few thousand requests per second at ~$0.00002 each), so nothing is refused. */
const NEVER_REACHED_USD = 1_000_000;

/**
 * The default config with the key's rate limits (requests, tokens, concurrency) and budgets (daily, monthly) and a
 * global budget set, all high enough never to refuse: every request goes through the limiter and the budget
 * reservation and settlement, in memory, or in Redis when `redis` is given.
 */
export function buildStoreConfig(options: StoreConfigOptions): ConfigInput {
  return {
    ...buildBenchConfig(options),
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    ...(options.redisKeyPrefix === undefined ? {} : { redis_key_prefix: options.redisKeyPrefix }),
    keys: [
      {
        name: 'bench',
        key: BENCH_API_KEY,
        rate_limit_rpm: 1_000_000_000,
        tokens_per_minute: 1_000_000_000_000,
        max_concurrent: 10_000,
        budgets: [
          { period: 'daily', limit_usd: NEVER_REACHED_USD },
          { period: 'monthly', limit_usd: NEVER_REACHED_USD },
        ],
      },
    ],
    limits: { budgets: [{ period: 'monthly', limit_usd: NEVER_REACHED_USD }] },
  };
}
