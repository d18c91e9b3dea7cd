import type { Redis } from 'ioredis';
import { NO_SEED, type BudgetCounters, type BudgetWindow, type ReserveRequest, type ReserveResult, type SettleRequest, type SpendSeed } from './budgetCounters.js';
import { BatchedRedisScript } from './batchedRedisScript.js';
import { RedisScript } from './redisScript.js';

const RETAIN_AFTER_END_MS = 86_400_000;

/**
 * Per window two keys: a hash (`init` once seeded from the ledger, `spent`, `reserved`) and a sorted set of the
 * reservations by expiry, each member `<id>:<amount>`, so that sweeping an expired one knows what to give back
 * without a field per reservation. Check-and-reserve over all windows in one script. The hash gets its TTL when
 * seeded; the set, which Redis deletes whenever it empties, on every reservation.
 * KEYS: hash1, zset1, hash2, zset2, ... ARGV: now, member, amount, expiresAt, then per window: limit, enforce (1/0),
 * key TTL (ms; relative, so that the caller's clock decides, not the server's). Returns {1, {}, spent} (reserved),
 * {0, exhausted, spent} (refused) or {-1, unseeded}.
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
  local values = redis.call('HMGET', hash, 'init', 'spent', 'reserved')
  local settled = tonumber(values[2] or '0')
  local reserved = tonumber(values[3] or '0')
  local expired = redis.call('ZRANGEBYSCORE', zset, '-inf', now)
  if #expired > 0 then
    local released = 0
    for _, member in ipairs(expired) do released = released + tonumber(string.match(member, ':(%d+)$') or '0') end
    redis.call('ZREMRANGEBYSCORE', zset, '-inf', now)
    if values[1] and released > 0 then
      redis.call('HINCRBY', hash, 'reserved', -released)
      reserved = reserved - released
    end
  end
  if not values[1] then unseeded[#unseeded + 1] = i end
  spent[i] = settled
  local base = 4 + (i - 1) * 3
  if ARGV[base + 2] == '1' and settled + reserved >= tonumber(ARGV[base + 1]) then exhausted[#exhausted + 1] = i end
end
if #unseeded > 0 then return {-1, unseeded, spent} end
if #exhausted > 0 then return {0, exhausted, spent} end
for i = 1, count do
  local zset = KEYS[2 * i]
  redis.call('HINCRBY', KEYS[2 * i - 1], 'reserved', ARGV[3])
  redis.call('ZADD', zset, ARGV[4], ARGV[2])
  redis.call('PEXPIRE', zset, ARGV[4 + (i - 1) * 3 + 3])
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
 * Drops the reservation (if a sweep has not already) and adds the real cost to every window. A counter that is
 * gone (Redis lost it) is not recreated: its next reservation seeds it from the ledger, which has this request too.
 * KEYS: hash1, zset1, ... ARGV: member, reserved amount, actual.
 */
const SETTLE = new BatchedRedisScript(`
for i = 1, #KEYS / 2 do
  local hash = KEYS[2 * i - 1]
  local removed = redis.call('ZREM', KEYS[2 * i], ARGV[1])
  if redis.call('HEXISTS', hash, 'init') == 1 then
    if removed == 1 then redis.call('HINCRBY', hash, 'reserved', -tonumber(ARGV[2])) end
    redis.call('HINCRBY', hash, 'spent', ARGV[3])
  end
end
return 1
`);

/** Budget counters shared by every replica through Redis: one round trip per reservation; settlements share one per event-loop turn. */
export class RedisBudgetCounters implements BudgetCounters {
  private readonly keysByWindows = new WeakMap<readonly BudgetWindow[], string[]>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly seed: SpendSeed = NO_SEED,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const keys = this.keysOf(request.windows);
    const amount = reservedAmount(request.amountMicros);
    const args: (string | number)[] = [request.now, `${request.id}:${amount}`, amount, request.expiresAt];
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
    const amount = reservedAmount(request.reservedMicros);
    await SETTLE.run(this.redis, this.keysOf(request.windows), [`${request.id}:${amount}`, amount, Math.round(request.actualMicros)]);
  }

  private async seedWindow(window: BudgetWindow, now: number): Promise<void> {
    const spent = await this.seed(window);
    await SEED.run(this.redis, [this.hashKey(window)], [Math.round(spent), keyTtl(window, now)]);
  }

  private keysOf(windows: readonly BudgetWindow[]): string[] {
    // A reservation and its settlement pass the same windows: spell their keys once.
    let keys = this.keysByWindows.get(windows);
    if (keys === undefined) {
      keys = [];
      for (const window of windows) {
        const hash = this.hashKey(window);
        keys.push(hash, `${hash}:reservations`);
      }
      this.keysByWindows.set(windows, keys);
    }
    return keys;
  }

  private hashKey(window: BudgetWindow): string {
    return `${this.prefix}budget:${window.counter}`;
  }
}

/** Whole, non-negative micro-USD: the member written at reservation is spelled the same way at settlement. */
function reservedAmount(micros: number): number {
  return Math.max(0, Math.round(micros));
}

/** Counter keys live until their period has ended and a day more, so that late settlements still land. */
function keyTtl(window: BudgetWindow, now: number): number {
  return Math.max(1, Math.ceil(window.end + RETAIN_AFTER_END_MS - now));
}
