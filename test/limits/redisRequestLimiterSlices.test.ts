import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuthenticatedKey } from '../../src/auth/authenticatedKey.js';
import { GatewayError } from '../../src/core/gatewayError.js';
import { MemoryRequestLimiter } from '../../src/limits/memoryRequestLimiter.js';
import { RedisFailurePolicy } from '../../src/limits/redisFailurePolicy.js';
import { RedisRequestLimiter } from '../../src/limits/redisRequestLimiter.js';
import type { Admission } from '../../src/limits/requestLimiter.js';
import { FailureCounter, ManualClock, testKey, useTestRedis } from './limitsTestSupport.js';

/** Slices: replicas admit out of what they took from Redis, so steady traffic makes almost no Redis calls, and the limits still hold across replicas. */
const silent = pino({ level: 'silent' });
const redis = useTestRedis('switchyard-test-limit-slices');
let serial = 0;

function key(overrides: Partial<AuthenticatedKey>): AuthenticatedKey {
  serial++;
  return testKey({ keyId: `key_slices${String(serial).padStart(8, '0')}`, ...overrides });
}

/** A replica on the shared prefix, with its renewal timer stopped (the test calls renewLeases itself) and its script calls counted. */
function replica(clock: ManualClock): { limiter: RedisRequestLimiter; scriptCalls: () => number } {
  let scriptCalls = 0;
  const connection = redis.redis();
  // The replica's view of the shared connection: counts the scripts it runs.
  const counting = new Proxy(connection, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property !== 'evalsha' && property !== 'eval') || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        scriptCalls++;
        return (value as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const limiter = new RedisRequestLimiter({
    redis: counting,
    prefix: redis.prefix,
    policy: new RedisFailurePolicy('closed', silent, new FailureCounter(), clock.now),
    fallback: new MemoryRequestLimiter(clock.now),
    clock: clock.now,
  });
  void limiter.close();
  return { limiter, scriptCalls: () => scriptCalls };
}

async function outcome(attempt: Promise<Admission> | Admission): Promise<'admitted' | string> {
  try {
    await attempt;
    return 'admitted';
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
}

async function stateField(k: AuthenticatedKey, field: string): Promise<string | null> {
  return redis.redis().hget(`${redis.prefix}limits:${k.keyId}:state`, field);
}

describe('Redis request limiter slices', () => {
  it('admits steady traffic out of its slice: far fewer script calls than requests', async () => {
    const clock = new ManualClock();
    const { limiter, scriptCalls } = replica(clock);
    const k = key({ rateLimitRpm: 1_000_000, tokensPerMinute: 1_000_000_000, maxConcurrent: 1_000 });
    for (let index = 0; index < 500; index++) {
      const admission = await limiter.admit(k, 100, clock.advance(1));
      admission.release(50);
    }
    expect(scriptCalls()).toBeLessThan(20);
    // Every admission is counted once its slice is given back; the token corrections arrive with it.
    clock.advance(2_000);
    await limiter.renewLeases();
    expect(Number(await stateField(k, 'requests'))).toBe(500);
    expect(Number(await stateField(k, 'slots'))).toBe(0);
  });

  it('holds requests per minute and concurrency across two replicas under parallel bursts', async () => {
    const clock = new ManualClock();
    const a = replica(clock);
    const b = replica(clock);
    const rpmKey = key({ rateLimitRpm: 50 });
    const burst = await Promise.all(Array.from({ length: 200 }, (_, index) => outcome((index % 2 === 0 ? a : b).limiter.admit(rpmKey, 1, clock.now()))));
    expect(burst.filter((result) => result === 'admitted')).toHaveLength(50);
    expect(burst.filter((result) => result !== 'admitted').every((result) => result === 'rate_limit_exceeded')).toBe(true);

    const concurrencyKey = key({ maxConcurrent: 10 });
    const held: Admission[] = [];
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        try {
          held.push(await (index % 2 === 0 ? a : b).limiter.admit(concurrencyKey, 1, clock.now()));
          return 'admitted';
        } catch (error) {
          return (error as GatewayError).code;
        }
      }),
    );
    expect(results.filter((result) => result === 'admitted')).toHaveLength(10);
    expect(results.filter((result) => result !== 'admitted').every((result) => result === 'concurrent_requests_exceeded')).toBe(true);
    for (const admission of held) admission.release(0);
    clock.advance(2_000);
    await Promise.all([a.limiter.renewLeases(), b.limiter.renewLeases()]);
    expect(Number(await stateField(concurrencyKey, 'slots'))).toBe(0);
  });

  it('counts spare admissions against the key until given back, then only those used', async () => {
    const clock = new ManualClock();
    const a = replica(clock);
    const b = replica(clock);
    const k = key({ rateLimitRpm: 40 });
    // A burst on replica a takes spare admissions beyond the ones it serves at once.
    await Promise.all(Array.from({ length: 4 }, () => a.limiter.admit(k, 1, clock.now())));
    const counted = Number(await stateField(k, 'requests'));
    expect(counted).toBeGreaterThanOrEqual(4);
    // Replica b sees what a holds as taken, so the two together never exceed the limit.
    const fromB = await Promise.all(Array.from({ length: 60 }, () => outcome(b.limiter.admit(k, 1, clock.now()))));
    expect(fromB.filter((result) => result === 'admitted')).toHaveLength(40 - counted);
    // a's slice ends and goes back: its unused spare becomes available to b.
    clock.advance(1_001);
    await a.limiter.renewLeases();
    const returned = counted - 4;
    const again = await Promise.all(Array.from({ length: 60 }, () => outcome(b.limiter.admit(k, 1, clock.now()))));
    expect(again.filter((result) => result === 'admitted')).toHaveLength(returned);
    expect(Number(await stateField(k, 'requests'))).toBe(40);
  });

  it('sends token corrections of released requests with the next renewal', async () => {
    const clock = new ManualClock();
    const { limiter } = replica(clock);
    const k = key({ tokensPerMinute: 10_000 });
    const admission = await limiter.admit(k, 1_000, clock.now());
    expect(Number(await stateField(k, 'level'))).toBe(1_000);
    admission.release(100);
    await limiter.renewLeases();
    expect(Number(await stateField(k, 'level'))).toBe(100);
  });

  it('gives back every spare admission and slot when it closes', async () => {
    const clock = new ManualClock();
    const { limiter } = replica(clock);
    const k = key({ rateLimitRpm: 1_000, maxConcurrent: 100 });
    const admissions = await Promise.all(Array.from({ length: 8 }, () => limiter.admit(k, 1, clock.now())));
    expect(Number(await stateField(k, 'requests'))).toBeGreaterThan(8);
    expect(Number(await stateField(k, 'slots'))).toBeGreaterThanOrEqual(8);
    for (const admission of admissions) admission.release(1);
    await limiter.close();
    expect(Number(await stateField(k, 'requests'))).toBe(8);
    expect(Number(await stateField(k, 'slots'))).toBe(0);
  });
});
