import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticatedKey } from '../../src/auth/authenticatedKey.js';
import { GatewayError } from '../../src/core/gatewayError.js';
import { MemoryRequestLimiter } from '../../src/limits/memoryRequestLimiter.js';
import { RedisFailurePolicy, type RedisFailureMode } from '../../src/limits/redisFailurePolicy.js';
import { RedisRequestLimiter } from '../../src/limits/redisRequestLimiter.js';
import type { Admission, RequestLimiter } from '../../src/limits/requestLimiter.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { FailureCounter, ManualClock, REDIS_URL, clearRedisPrefix, testKey, uniqueRedisPrefix } from './limitsTestSupport.js';

const silent = pino({ level: 'silent' });
let keySerial = 0;
/** Every test gets its own key id, so Redis state of one test never leaks into the next. */
function key(overrides: Partial<AuthenticatedKey>): AuthenticatedKey {
  keySerial++;
  return testKey({ keyId: `key_${String(keySerial).padStart(16, '0')}`, ...overrides });
}

/** The error an admission fails with (the in-memory limiter throws synchronously, hence a function). */
async function refusal(attempt: () => Promise<Admission> | Admission): Promise<GatewayError> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

interface Backend {
  name: string;
  /** `prefix`: another limiter's, to act as a second replica sharing its Redis state. */
  create(clock: ManualClock, leaseMs?: number, prefix?: string): RequestLimiter;
}

const redisClients: Redis[] = [];
const prefixes: string[] = [];
let redis: Redis;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL, 'switchyard-test-limits');
  redisClients.push(redis);
  await waitForRedis(redis);
});

afterAll(async () => {
  for (const prefix of prefixes) await clearRedisPrefix(prefix);
  for (const client of redisClients) client.disconnect();
});

const backends: Backend[] = [
  { name: 'memory', create: (clock) => new MemoryRequestLimiter(clock.now) },
  {
    name: 'redis',
    create: (clock, leaseMs, shared) => {
      const prefix = shared ?? uniqueRedisPrefix();
      prefixes.push(prefix);
      const policy = new RedisFailurePolicy('closed', silent, new FailureCounter(), clock.now);
      return new RedisRequestLimiter({ redis, prefix, policy, fallback: new MemoryRequestLimiter(clock.now), clock: clock.now, leaseMs });
    },
  },
];

describe.each(backends)('$name request limiter', (backend) => {
  it('admits keys without limits and sends no headers', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const admission = await limiter.admit(key({}), 1_000_000, clock.now());
    expect(admission.headers).toEqual({});
    admission.release(5);
  });

  it('requests per minute: a sliding window, refused with rate_limit_exceeded and Retry-After', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ rateLimitRpm: 3 });
    const first = await limiter.admit(k, 10, clock.now());
    expect(first.headers).toEqual({
      'x-rate-limit-source': 'gateway',
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '1m0s',
    });
    expect((await limiter.admit(k, 10, clock.advance(10_000))).headers['x-ratelimit-remaining-requests']).toBe('1');
    const third = await limiter.admit(k, 10, clock.advance(10_000));
    expect(third.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(third.headers['x-ratelimit-reset-requests']).toBe('40s');

    const refused = await refusal(() => limiter.admit(k, 10, clock.advance(10_000)));
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', retryAfterSeconds: 30, rateLimitSource: 'gateway', retryable: true });
    expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s', 'x-rate-limit-source': 'gateway' });

    // 60 s after the first request it leaves the window; the refused one was never counted.
    clock.ms += 30_000 - 1;
    await refusal(() => limiter.admit(k, 10, clock.now()));
    const again = await limiter.admit(k, 10, clock.advance(1));
    expect(again.headers['x-ratelimit-remaining-requests']).toBe('0');
    await refusal(() => limiter.admit(k, 10, clock.now()));
  });

  it('requests per minute: the window slides (no burst of twice the limit at a minute boundary)', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ rateLimitRpm: 2 });
    await limiter.admit(k, 1, clock.now());
    await limiter.admit(k, 1, clock.advance(59_000));
    await limiter.admit(k, 1, clock.advance(2_000));
    const refused = await refusal(() => limiter.admit(k, 1, clock.advance(1_000)));
    expect(refused.retryAfterSeconds).toBe(57);
  });

  it('tokens per minute: admits on the estimate, corrects by the real count at release', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ tokensPerMinute: 1000 });
    const first = await limiter.admit(k, 600, clock.now());
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '400', 'x-ratelimit-reset-tokens': '36s' });
    const refused = await refusal(() => limiter.admit(k, 600, clock.now()));
    expect(refused).toMatchObject({ code: 'tokens_per_min_exceeded', retryAfterSeconds: 12 });
    // Used fewer than estimated: the difference is given back.
    first.release(100);
    const second = await limiter.admit(k, 600, clock.now());
    expect(second.headers['x-ratelimit-remaining-tokens']).toBe('300');
    // Used more than estimated: charged in full.
    second.release(900);
    const refusedAgain = await refusal(() => limiter.admit(k, 200, clock.now()));
    expect(refusedAgain.retryAfterSeconds).toBe(12);
    // The bucket drains at the limit per minute: after 30 s half of it is free again.
    expect((await limiter.admit(k, 500, clock.advance(30_000))).headers['x-ratelimit-remaining-tokens']).toBe('0');
  });

  it('tokens per minute: one request larger than the limit runs when nothing else is counted', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ tokensPerMinute: 1000 });
    const big = await limiter.admit(k, 5000, clock.now());
    expect(big.headers['x-ratelimit-remaining-tokens']).toBe('0');
    const refused = await refusal(() => limiter.admit(k, 1, clock.now()));
    expect(refused.code).toBe('tokens_per_min_exceeded');
  });

  it('concurrent requests: a slot per request in flight, freed at release (once)', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ maxConcurrent: 2 });
    const a = await limiter.admit(k, 1, clock.now());
    const b = await limiter.admit(k, 1, clock.now());
    expect(a.headers).toEqual({ 'x-rate-limit-source': 'gateway' });
    const refused = await refusal(() => limiter.admit(k, 1, clock.now()));
    expect(refused).toMatchObject({ code: 'concurrent_requests_exceeded', retryAfterSeconds: 1 });
    a.release(0);
    a.release(0);
    await waitUntilAdmitted(() => limiter.admit(k, 1, clock.now()));
    await refusal(() => limiter.admit(k, 1, clock.now()));
    b.release(0);
  });

  it('a refusal changes nothing; the first refusing limit names the code, the longest wait the Retry-After', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const k = key({ rateLimitRpm: 1, maxConcurrent: 1, tokensPerMinute: 100 });
    const held = await limiter.admit(k, 10, clock.now());
    const refused = await refusal(() => limiter.admit(k, 10, clock.advance(1_000)));
    expect(refused).toMatchObject({ code: 'rate_limit_exceeded', retryAfterSeconds: 59 });
    const k2 = key({ rateLimitRpm: 5, maxConcurrent: 1 });
    const other = await limiter.admit(k2, 10, clock.now());
    const concurrent = await refusal(() => limiter.admit(k2, 10, clock.now()));
    expect(concurrent.code).toBe('concurrent_requests_exceeded');
    expect(concurrent.headers?.['x-ratelimit-remaining-requests']).toBe('4');
    other.release(0);
    const next = await waitUntilAdmitted(() => limiter.admit(k2, 10, clock.now()));
    expect(next.headers['x-ratelimit-remaining-requests']).toBe('3');
    held.release(0);
  });

  it('keeps keys apart', async () => {
    const clock = new ManualClock();
    const limiter = backend.create(clock);
    const a = key({ rateLimitRpm: 1 });
    const b = key({ rateLimitRpm: 1 });
    await limiter.admit(a, 1, clock.now());
    await limiter.admit(b, 1, clock.now());
    await refusal(() => limiter.admit(a, 1, clock.now()));
  });
});

/** Releases are fire-and-forget in Redis: the freed slot shows up after the release's round trip. */
async function waitUntilAdmitted(admit: () => Promise<Admission> | Admission): Promise<Admission> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await admit();
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('redis request limiter', () => {
  it('holds the limit for many parallel admissions (one atomic script each)', async () => {
    const clock = new ManualClock();
    const limiter = backends[1]!.create(clock);
    const k = key({ rateLimitRpm: 20, maxConcurrent: 50 });
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => limiter.admit(k, 1, clock.now())));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
  });

  it('expires the concurrency slots of a replica that stopped renewing them, and renews its own', async () => {
    const clock = new ManualClock();
    const prefix = uniqueRedisPrefix();
    const crashed = backends[1]!.create(clock, 1_000, prefix) as RedisRequestLimiter;
    void crashed.close();
    const survivor = backends[1]!.create(clock, 1_000, prefix) as RedisRequestLimiter;
    void survivor.close();
    const k = key({ maxConcurrent: 1 });
    await crashed.admit(k, 1, clock.now());
    await refusal(() => survivor.admit(k, 1, clock.advance(999)));
    await survivor.admit(k, 1, clock.advance(2));

    const alive = backends[1]!.create(clock, 1_000) as RedisRequestLimiter;
    void alive.close();
    const k2 = key({ maxConcurrent: 1 });
    const held = await alive.admit(k2, 1, clock.now());
    clock.advance(900);
    await alive.renewLeases();
    await refusal(() => alive.admit(k2, 1, clock.advance(900)));
    held.release(0);
    await waitUntilAdmitted(() => alive.admit(k2, 1, clock.now()));
  });

  describe.each<RedisFailureMode>(['open', 'closed'])('Redis unreachable, on_redis_failure: %s', (mode) => {
    it(mode === 'open' ? 'counts on this instance alone and reports the failure' : 'refuses with 503 model_unavailable', async () => {
      const clock = new ManualClock();
      const down = connectRedis('redis://127.0.0.1:1', 'switchyard-test-down');
      down.on('error', () => undefined);
      redisClients.push(down);
      const failures = new FailureCounter();
      const policy = new RedisFailurePolicy(mode, silent, failures, clock.now);
      const limiter = new RedisRequestLimiter({ redis: down, prefix: uniqueRedisPrefix(), policy, fallback: new MemoryRequestLimiter(clock.now), clock: clock.now });
      void limiter.close();
      const k = key({ rateLimitRpm: 1 });
      if (mode === 'open') {
        const admission = await limiter.admit(k, 1, clock.now());
        expect(admission.headers['x-ratelimit-remaining-requests']).toBe('0');
        await expect(refusal(() => limiter.admit(k, 1, clock.now()))).resolves.toMatchObject({ code: 'rate_limit_exceeded' });
        admission.release(1);
      } else {
        const error = await refusal(() => limiter.admit(k, 1, clock.now()));
        expect(error).toMatchObject({ status: 503, code: 'model_unavailable', retryable: true, retryAfterSeconds: 5 });
      }
      expect(failures.counts.get('admit')).toBeGreaterThanOrEqual(1);
      // Keys without limits never touch Redis.
      await expect(Promise.resolve(limiter.admit(key({}), 1, clock.now()))).resolves.toMatchObject({ headers: {} });
    });
  });
});
