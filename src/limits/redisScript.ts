import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { flushPendingBatches } from './pendingRedisBatches.js';

/**
 * A Lua script run by its SHA-1 (one round trip). The first run on a connection sends the whole script with EVAL:
 * an EVALSHA answered NOSCRIPT and re-sent would run after commands queued behind it, reordering a release
 * and the next admission.
 */
export class RedisScript {
  private readonly sha: string;
  private readonly loadedOn = new WeakSet<Redis>();

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    flushPendingBatches(redis);
    if (!this.loadedOn.has(redis)) {
      const result: unknown = await redis.eval(this.lua, keys.length, ...keys, ...args);
      this.loadedOn.add(redis);
      return result;
    }
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted or flushed server forgets scripts; send it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
