import type { Redis } from 'ioredis';
import { NO_SEED, type BudgetCounters, type BudgetWindow, type ReserveRequest, type ReserveResult, type SettleRequest, type SpendSeed } from './budgetCounters.js';
import { BatchedRedisScript } from './batchedRedisScript.js';
import { RedisScript } from './redisScript.js';

const RETAIN_AFTER_END_MS = 86_400_000;

/**
 * Per window two keys: a hash (`init` once seeded from the ledger, `spent`, `reserved`, `r:<id>` = amount of each
 * reservation) and a sorted set of reservation ids by expiry. Check-and-reserve over all windows in one script.
 * KEYS: hash1, zset1, hash2, zset2, ... ARGV: now, id, amount, expiresAt, then per window: limit, enforce (1/0),
 * key TTL (ms; relative, so that the caller's clock decides, not the server's). Returns {1, {}, spent} (reserved), {0, exhausted, spent} (refused) or {-1, unseeded}.
 */
const RESERVE = new RedisScript(`
local now = tonumber(ARGV[1])
local count = #KEYS / 2
local spent = {}
local exhausted = {}
local unseeded = {}
for i = 1, count do
  local hash = KEYS[2 * i - 1]
  local zset = KEYS[2 * i]
  local expired = redis.call('ZRANGEBYSCORE', zset, '-inf', now)
  for _, rid in ipairs(expired) do
    local amount = redis.call('HGET', hash, 'r:' .. rid)
    if amount then
      redis.call('HINCRBY', hash, 'reserved', -tonumber(amount))
      redis.call('HDEL', hash, 'r:' .. rid)
    end
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', zset, '-inf', now) end
  if redis.call('HEXISTS', hash, 'init') == 0 then unseeded[#unseeded + 1] = i end
  local values = redis.call('HMGET', hash, 'spent', 'reserved')
  local settled = tonumber(values[1] or '0')
  local reserved = tonumber(values[2] or '0')
  spent[i] = settled
  local base = 4 + (i - 1) * 3
  if ARGV[base + 2] == '1' and settled + reserved >= tonumber(ARGV[base + 1]) then exhausted[#exhausted + 1] = i end
end
if #unseeded > 0 then return {-1, unseeded, spent} end
if #exhausted > 0 then return {0, exhausted, spent} end
for i = 1, count do
  local hash = KEYS[2 * i - 1]
  local zset = KEYS[2 * i]
  local keep = ARGV[4 + (i - 1) * 3 + 3]
  redis.call('HSET', hash, 'r:' .. ARGV[2], ARGV[3])
  redis.call('HINCRBY', hash, 'reserved', ARGV[3])
  redis.call('ZADD', zset, ARGV[4], ARGV[2])
  redis.call('PEXPIRE', hash, keep)
  redis.call('PEXPIRE', zset, keep)
end
return {1, {}, spent}
`);

/** Starts a counter from the ledger once (HSETNX decides which instance does it). KEYS: hash. ARGV: spent, key TTL (ms). */
const SEED = new RedisScript(`
if redis.call('HSETNX', KEYS[1], 'init', '1') == 1 then
  redis.call('HINCRBY', KEYS[1], 'spent', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`);

/**
 * Drops the reservation and adds the real cost to every window. A counter that is gone (Redis lost it) is not
 * recreated: its next reservation seeds it from the ledger, which has this request too.
 * KEYS: hash1, zset1, ... ARGV: id, actual.
 */
const SETTLE = new BatchedRedisScript(`
for i = 1, #KEYS / 2 do
  local hash = KEYS[2 * i - 1]
  local amount = redis.call('HGET', hash, 'r:' .. ARGV[1])
  if amount then
    redis.call('HDEL', hash, 'r:' .. ARGV[1])
    redis.call('HINCRBY', hash, 'reserved', -tonumber(amount))
    redis.call('ZREM', KEYS[2 * i], ARGV[1])
  end
  if redis.call('HEXISTS', hash, 'init') == 1 then redis.call('HINCRBY', hash, 'spent', ARGV[2]) end
end
return 1
`);

/** Budget counters shared by every replica through Redis: one round trip per reservation; settlements share one per event-loop turn. */
export class RedisBudgetCounters implements BudgetCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly seed: SpendSeed = NO_SEED,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const keys = this.keysOf(request.windows);
    const args: (string | number)[] = [request.now, request.id, Math.round(request.amountMicros), request.expiresAt];
    for (const window of request.windows) args.push(window.definition.limitMicros, window.definition.enforce ? 1 : 0, keyTtl(window, request.now));
    for (let attempt = 0; ; attempt++) {
      const [status, indexes, spent] = (await RESERVE.run(this.redis, keys, args)) as [number, number[], number[]];
      if (status === -1 && attempt < 2) {
        await Promise.all(indexes.map((index) => this.seedWindow(request.windows[index - 1] as BudgetWindow, request.now)));
        continue;
      }
      if (status === -1) throw new Error('budget counters could not be seeded in Redis');
      return { ok: status === 1, spentMicros: spent.map(Number), exhausted: indexes.map((index) => index - 1) };
    }
  }

  async settle(request: SettleRequest): Promise<void> {
    await SETTLE.run(this.redis, this.keysOf(request.windows), [request.id, Math.round(request.actualMicros)]);
  }

  private async seedWindow(window: BudgetWindow, now: number): Promise<void> {
    const spent = await this.seed(window);
    await SEED.run(this.redis, [this.hashKey(window)], [Math.round(spent), keyTtl(window, now)]);
  }

  private keysOf(windows: readonly BudgetWindow[]): string[] {
    return windows.flatMap((window) => {
      const hash = this.hashKey(window);
      return [hash, `${hash}:reservations`];
    });
  }

  private hashKey(window: BudgetWindow): string {
    return `${this.prefix}budget:${window.counter}`;
  }
}

/** Counter keys live until their period has ended and a day more, so that late settlements still land. */
function keyTtl(window: BudgetWindow, now: number): number {
  return Math.max(1, Math.ceil(window.end + RETAIN_AFTER_END_MS - now));
}
