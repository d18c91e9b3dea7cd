import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteRedisKeys } from '../src/store/deleteRedisKeys.js';

/** The Redis the benchmark uses; override with SWITCHYARD_BENCH_REDIS_URL. */
export const BENCH_REDIS_URL = process.env.SWITCHYARD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchRedisPrefix {
  /** A `redis_key_prefix` no other gateway uses. */
  prefix: string;
  /** Deletes every key under the prefix (channels leave nothing behind). */
  clear(): Promise<void>;
}

/** Checks that Redis answers (a gateway would otherwise quietly fall back to in-memory limits) and picks a unique prefix. */
export async function createBenchRedisPrefix(): Promise<BenchRedisPrefix> {
  await withRedis((redis) => redis.ping());
  const prefix = `switchyard-bench:${Date.now().toString(36)}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    clear: () =>
      withRedis((redis) => deleteRedisKeys(redis, prefix)),
  };
}

async function withRedis<T>(action: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(BENCH_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3_000, retryStrategy: () => null });
  // Errors surface through the failed command; without a listener ioredis would also print them.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await action(redis);
  } finally {
    redis.disconnect();
  }
}
