import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuthenticatedKey } from '../auth/authenticatedKey.js';
import type { Admission, RequestLimiter } from './requestLimiter.js';
import type { RedisFailurePolicy } from './redisFailurePolicy.js';
import { BatchedRedisScript } from './batchedRedisScript.js';
import { RedisScript } from './redisScript.js';
import { CONCURRENCY_RETRY_MS, LIMIT_WINDOW_MS, hasRateLimits, rateLimitError, rateLimitHeaders, type RateLimitCode, type RateLimitOutcome } from './rateLimitOutcome.js';
import { unlimitedRequests } from './unlimited.js';

// Requests per minute as a sliding-window log, not GCRA: it promises "at most N in any 60 s" exactly; GCRA after a burst of N lets 2N-1 through within one minute.
/**
 * One round trip per admission: every limit is checked first and written only when all admit, so a refusal
 * changes nothing. The same rules as MemoryRequestLimiter: requests per minute as a sliding-window log (a sorted
 * set of admission times), tokens per minute as a token bucket (level + time), concurrency as a sorted set of leases.
 * KEYS: requests log, token bucket, leases. ARGV: now, rpm, tpm, max concurrent (-1 = none), estimate, id,
 * lease deadline, lease key TTL.
 */
const ADMIT = new RedisScript(`
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local conc = tonumber(ARGV[4])
local estimate = tonumber(ARGV[5])
local window = ${LIMIT_WINDOW_MS}
local code = 0
local retry = 0
local count = 0
local oldestWait = 0
if rpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  count = redis.call('ZCARD', KEYS[1])
  if count > 0 then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    oldestWait = math.max(0, tonumber(oldest[2]) + window - now)
  end
  if count >= rpm then
    code = 1
    retry = oldestWait
  end
end
local level = 0
if tpm >= 0 then
  local state = redis.call('HMGET', KEYS[2], 'level', 'at')
  if state[1] then
    local drained = math.max(0, now - tonumber(state[2])) * tpm / window
    level = math.max(0, tonumber(state[1]) - drained)
  end
  local needed = math.min(estimate, tpm)
  if level + needed > tpm then
    if code == 0 then code = 2 end
    retry = math.max(retry, (level + needed - tpm) * window / tpm)
  end
end
if conc >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= conc then
    if code == 0 then code = 3 end
    retry = math.max(retry, ${CONCURRENCY_RETRY_MS})
  end
end
if code == 0 then
  if rpm >= 0 then
    redis.call('ZADD', KEYS[1], now, ARGV[6])
    redis.call('PEXPIRE', KEYS[1], window)
    if count == 0 then oldestWait = window end
    count = count + 1
  end
  if tpm >= 0 then
    level = level + estimate
    redis.call('HSET', KEYS[2], 'level', tostring(level), 'at', ARGV[1])
    redis.call('PEXPIRE', KEYS[2], math.ceil(level * window / tpm) + window)
  end
  if conc >= 0 then
    redis.call('ZADD', KEYS[3], ARGV[7], ARGV[6])
    redis.call('PEXPIRE', KEYS[3], ARGV[8])
  end
end
return {code, math.ceil(retry), count, math.ceil(oldestWait), math.floor(level)}
`);

/** Frees the lease and corrects the token bucket by (used - estimated). KEYS: token bucket, leases. ARGV: now, tpm, delta, id. */
const RELEASE = new BatchedRedisScript(`
local now = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local window = ${LIMIT_WINDOW_MS}
if tpm > 0 and delta ~= 0 then
  local state = redis.call('HMGET', KEYS[1], 'level', 'at')
  local level = 0
  if state[1] then
    local drained = math.max(0, now - tonumber(state[2])) * tpm / window
    level = math.max(0, tonumber(state[1]) - drained)
  end
  level = math.max(0, level + delta)
  redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.ceil(level * window / tpm) + window)
end
redis.call('ZREM', KEYS[2], ARGV[4])
return 1
`);

const CODES: readonly (RateLimitCode | undefined)[] = [undefined, 'rate_limit_exceeded', 'tokens_per_min_exceeded', 'concurrent_requests_exceeded'];

/** How long a concurrency slot is held without renewal: a replica that dies frees its slots after this. */
const DEFAULT_LEASE_MS = 60_000;

export interface RedisRequestLimiterOptions {
  redis: Redis;
  /** Prefix of every key (config `redis_key_prefix`). */
  prefix: string;
  policy: RedisFailurePolicy;
  /** Counts on this instance while Redis is unreachable (`open` mode). */
  fallback: RequestLimiter;
  /** Wall-clock ms for releases and lease renewals. */
  clock?: () => number;
  leaseMs?: number;
}

/**
 * Per-key limits shared by every replica through Redis (atomic Lua, one round trip per admission). Concurrency
 * slots are leases that this instance renews while their requests run, so a crashed replica's slots expire
 * instead of blocking the key forever.
 */
export class RedisRequestLimiter implements RequestLimiter {
  private readonly clock: () => number;
  private readonly leaseMs: number;
  /** Lease key → ids of this instance's requests in flight under it. */
  private readonly leases = new Map<string, Set<string>>();
  private readonly renewTimer: NodeJS.Timeout;

  constructor(private readonly options: RedisRequestLimiterOptions) {
    this.clock = options.clock ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
  }

  async admit(key: AuthenticatedKey, estimatedTokens: number, now: number): Promise<Admission> {
    if (!hasRateLimits(key)) return unlimitedRequests.admit(key, estimatedTokens, now);
    const id = randomUUID();
    const keys = this.keysOf(key.keyId);
    let reply: number[];
    try {
      reply = (await ADMIT.run(this.options.redis, keys, [
        now,
        key.rateLimitRpm ?? -1,
        key.tokensPerMinute ?? -1,
        key.maxConcurrent ?? -1,
        estimatedTokens,
        id,
        now + this.leaseMs,
        2 * this.leaseMs,
      ])) as number[];
    } catch (error) {
      this.options.policy.fail('admit', error, true);
      return this.options.fallback.admit(key, estimatedTokens, now);
    }
    const [codeIndex = 0, retryMs = 0, count = 0, oldestWaitMs = 0, level = 0] = reply;
    const code = CODES[codeIndex];
    const admitted = code === undefined;
    const outcome: RateLimitOutcome = {
      admitted,
      code,
      retryAfterMs: retryMs,
      requests: key.rateLimitRpm === null ? undefined : { remaining: key.rateLimitRpm - count, resetMs: oldestWaitMs },
      tokens: key.tokensPerMinute === null ? undefined : { remaining: key.tokensPerMinute - level, resetMs: (level * LIMIT_WINDOW_MS) / key.tokensPerMinute },
    };
    if (!admitted) throw rateLimitError(key, outcome);

    const leaseKey = keys[2] as string;
    if (key.maxConcurrent !== null) this.track(leaseKey, id);
    let released = false;
    return {
      headers: rateLimitHeaders(key, outcome),
      release: (usedTokens: number) => {
        if (released) return;
        released = true;
        this.untrack(leaseKey, id);
        if (key.maxConcurrent === null && key.tokensPerMinute === null) return;
        const delta = key.tokensPerMinute === null ? 0 : usedTokens - estimatedTokens;
        RELEASE.run(this.options.redis, [keys[1] as string, leaseKey], [this.clock(), key.tokensPerMinute ?? -1, delta, id]).catch((error: unknown) => {
          this.options.policy.fail('release', error, false);
        });
      },
    };
  }

  close(): void {
    clearInterval(this.renewTimer);
  }

  private keysOf(keyId: string): string[] {
    const base = `${this.options.prefix}limits:${keyId}:`;
    return [`${base}requests`, `${base}tokens`, `${base}leases`];
  }

  private track(leaseKey: string, id: string): void {
    let ids = this.leases.get(leaseKey);
    if (ids === undefined) this.leases.set(leaseKey, (ids = new Set()));
    ids.add(id);
  }

  private untrack(leaseKey: string, id: string): void {
    const ids = this.leases.get(leaseKey);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.leases.delete(leaseKey);
  }

  /** Pushes the deadline of every lease this instance still holds (ZADD XX never revives one already released). */
  async renewLeases(): Promise<void> {
    if (this.leases.size === 0) return;
    const deadline = this.clock() + this.leaseMs;
    const pipeline = this.options.redis.pipeline();
    for (const [leaseKey, ids] of this.leases) {
      for (const id of ids) pipeline.zadd(leaseKey, 'XX', deadline, id);
      pipeline.pexpire(leaseKey, 2 * this.leaseMs);
    }
    try {
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed !== undefined) throw failed[0];
    } catch (error) {
      this.options.policy.fail('renew', error, false);
    }
  }
}
