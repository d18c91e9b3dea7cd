import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchedRedisScript } from '../../src/limits/batchedRedisScript.js';
import { RedisScript } from '../../src/limits/redisScript.js';
import { useTestRedis } from './limitsTestSupport.js';

const { prefix, redis: connection } = useTestRedis('switchyard-test-script');
let redis: Redis;
beforeAll(() => {
  redis = connection();
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

describe('BatchedRedisScript', () => {
  it('runs every invocation of one event-loop turn, in order, with its own KEYS and ARGV, as one script call', async () => {
    const script = new BatchedRedisScript(`-- ${prefix} batch\nredis.call('RPUSH', KEYS[1], ARGV[1] .. ':' .. #ARGV) redis.call('INCRBY', KEYS[2], ARGV[2])`);
    const list = `${prefix}batch:list`;
    const before = await evalCalls();
    const runs = [1, 2, 3].map((index) => script.run(redis, [list, `${prefix}batch:sum`], [`call${index}`, index * 10]));
    await Promise.all(runs);
    expect(await redis.lrange(list, 0, -1)).toEqual(['call1:2', 'call2:2', 'call3:2']);
    expect(await redis.get(`${prefix}batch:sum`)).toBe('60');
    // The three invocations (plus INFO's own reading) cost one EVAL or EVALSHA.
    expect((await evalCalls()) - before).toBe(1);
  });

  it('a command issued in a later turn runs after the batch', async () => {
    const script = new BatchedRedisScript(`-- ${prefix} order\nredis.call('SET', KEYS[1], ARGV[1])`);
    const key = `${prefix}batch:ordered`;
    const written = script.run(redis, [key], ['batched']);
    await new Promise((resolve) => setImmediate(resolve));
    const read = redis.get(key);
    await written;
    expect(await read).toBe('batched');
  });

  it('a failing batch rejects every invocation in it', async () => {
    const script = new BatchedRedisScript(`-- ${prefix} failing\nredis.call('INCRBY', KEYS[1], ARGV[1])`);
    const runs = [script.run(redis, [`${prefix}batch:bad`], ['1']), script.run(redis, [`${prefix}batch:bad`], ['not a number'])];
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

/** EVAL and EVALSHA calls the server has answered so far. */
async function evalCalls(): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)) total += Number(match[1]);
  return total;
}

describe('BatchedRedisScript before a RedisScript', () => {
  it('a batch waiting for the end of the turn goes out before a script run in the same turn', async () => {
    const batched = new BatchedRedisScript(`-- ${prefix} before\nredis.call('SET', KEYS[1], ARGV[1])`);
    const reader = new RedisScript(`-- ${prefix} reader\nreturn redis.call('GET', KEYS[1])`);
    const key = `${prefix}batch:before-script`;
    const written = batched.run(redis, [key], ['released']);
    const read = reader.run(redis, [key], []);
    await written;
    expect(await read).toBe('released');
  });
});
