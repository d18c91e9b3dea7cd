import { Redis } from 'ioredis';

/**
 * A Redis client that fails fast instead of queueing commands while disconnected, so that callers can fall back
 * (fail-open or fail-closed) rather than stall requests; it keeps reconnecting in the background.
 * `subscriber`: the connection will only SUBSCRIBE, so it does not batch commands.
 */
export function connectRedis(url: string, name: string, options: { subscriber?: boolean } = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    // Commands issued in one tick (limits and budgets of concurrent requests) leave in one socket write.
    enableAutoPipelining: options.subscriber !== true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** Resolves once the client is connected, or rejects after `timeoutMs`. */
export function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
