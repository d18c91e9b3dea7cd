import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisScript } from '../../src/limits/redisScript.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { REDIS_URL, clearRedisPrefix, uniqueRedisPrefix } from './limitsTestSupport.js';

let redis: Redis;
const prefix = uniqueRedisPrefix();

beforeAll(async () => {
  redis = connectRedis(REDIS_URL, 'switchyard-test-script');
  await waitForRedis(redis);
});

afterAll(async () => {
  await clearRedisPrefix(prefix);
  redis.disconnect();
});

describe('RedisScript', () => {
  it('runs before a command sent after it, also the first time a server sees it', async () => {
    // A script body no server has cached yet: unique per run.
    const script = new RedisScript(`-- ${prefix}\nredis.call('SET', KEYS[1], ARGV[1]) return 1`);
    const key = `${prefix}ordered`;
    const ran = script.run(redis, [key], ['first']);
    const read = redis.get(key);
    expect(await ran).toBe(1);
    expect(await read).toBe('first');
  });
});
