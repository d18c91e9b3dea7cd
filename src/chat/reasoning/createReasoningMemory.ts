import type { Logger } from 'pino';
import { connectRedis, waitForRedis } from '../../store/redisConnection.js';
import { LayeredReasoningMemory } from './layeredReasoningMemory.js';
import { LruReasoningMemory } from './lruReasoningMemory.js';
import type { ReasoningMemory } from './reasoningMemory.js';
import { RedisReasoningMemory } from './redisReasoningMemory.js';

/** How long start() waits for Redis; until it connects, recalls fall back to this instance's entries. */
const START_WAIT_MS = 2_000;

export interface ReasoningMemoryOptions {
  /** `redis:`; without it the memory stays in this process. */
  redisUrl: string | undefined;
  prefix: string;
  logger: Logger;
  /** Wall-clock milliseconds. */
  clock: () => number;
}

export interface ReasoningMemoryService {
  memory: ReasoningMemory;
  /** Waits for Redis, if any; an outage is logged, not thrown (the memory then stays local). */
  start(): Promise<void>;
  close(): void;
}

/** Picks the reasoning memory from config: this instance's LRU, backed by Redis when replicas share one. */
export function createReasoningMemory(options: ReasoningMemoryOptions): ReasoningMemoryService {
  const local = new LruReasoningMemory({ clock: options.clock });
  if (options.redisUrl === undefined) return { memory: local, start: () => Promise.resolve(), close: () => undefined };
  const redis = connectRedis(options.redisUrl, 'switchyard-reasoning');
  // Each failed call is logged (sparingly) by the memory itself; ioredis keeps reconnecting.
  redis.on('error', () => undefined);
  const shared = new RedisReasoningMemory({ redis, prefix: options.prefix, logger: options.logger, clock: options.clock });
  return {
    memory: new LayeredReasoningMemory(local, shared),
    start: () =>
      waitForRedis(redis, START_WAIT_MS).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'Redis unavailable: remembered reasoning stays local to this instance until it connects');
      }),
    close: () => redis.disconnect(),
  };
}
