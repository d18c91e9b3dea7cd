import type { Redis } from 'ioredis';
import { NO_SEED, type BudgetCounters, type BudgetWindow, type ReserveRequest, type ReserveResult, type SettleRequest, type SpendSeed } from './budgetCounters.js';
import { BatchedRedisScript } from './batchedRedisScript.js';
import type { BudgetSliceStore, SliceSyncRequest, SliceSyncResult } from './budgetSliceStore.js';
import { RedisScript } from './redisScript.js';

const RETAIN_AFTER_END_MS = 86_400_000;

/**
 * Sweeps a window's expired entries. A per-request reservation (`<id>:<amount>`) is given back; an instance's slice
 * (`s:<slice id>`, its amount in the hash field of the same name) was not renewed, most likely because its instance
 * died, and what that instance did with it is unknown: it is charged in full as spent, so a crash can make a budget
 * refuse early but never overshoot. The charge is noted (`c:<slice id>`) so that an instance that was only late
 * (a stalled event loop, Redis out of reach) can take it back at its next sync, when it reports what it really used.
 * Counts change only in a seeded hash. Returns what left `reserved`, and what of it was charged.
 */
const SWEEP_EXPIRED = `
local function sweepExpired(hash, zset, now, seeded)
  local expired = redis.call('ZRANGEBYSCORE', zset, '-inf', now)
  if #expired == 0 then return 0, 0 end
  local released = 0
  local charged = 0
  for _, member in ipairs(expired) do
    if string.sub(member, 1, 2) == 's:' then
      local amount = tonumber(redis.call('HGET', hash, member) or '0')
      redis.call('HDEL', hash, member)
      if seeded and amount > 0 then redis.call('HSET', hash, 'c' .. string.sub(member, 2), amount) end
      charged = charged + amount
    else
      released = released + tonumber(string.match(member, ':(%d+)$') or '0')
    end
  end
  redis.call('ZREMRANGEBYSCORE', zset, '-inf', now)
  if seeded and released + charged > 0 then
    redis.call('HINCRBY', hash, 'reserved', -(released + charged))
    if charged > 0 then redis.call('HINCRBY', hash, 'spent', charged) end
  end
  return released + charged, charged
end
`;

/**
 * Per window two keys: a hash (`init` once seeded from the ledger, `spent`, `reserved`, the amount of each
 * instance's slice and the charges for expired ones) and a sorted set of the reservations and slices by expiry,
 * each reservation member `<id>:<amount>`, so that sweeping an expired one knows what to give back without a field
 * per reservation. Check-and-reserve over all windows in one script. The hash gets its TTL when seeded; the set,
 * which Redis deletes whenever it empties, on every reservation.
 * KEYS: hash1, zset1, hash2, zset2, ... ARGV: now, member, amount, expiresAt, then per window: limit, enforce (1/0),
 * key TTL (ms; relative, so that the caller's clock decides, not the server's). Returns {1, {}, spent} (reserved),
 * {0, exhausted, spent} (refused) or {-1, unseeded}.
 */
const RESERVE = new RedisScript(`${SWEEP_EXPIRED}
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
  if values[1] then
    local swept, charged = sweepExpired(hash, zset, now, true)
    reserved = reserved - swept
    settled = settled + charged
  else
    sweepExpired(hash, zset, now, false)
    unseeded[#unseeded + 1] = i
  end
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

/**
 * An instance's slice of some windows, in one step over all of them: sweeps; takes back the instance's previous
 * slice (or, if it had expired, the charge for it: what the instance holds and has settled is reported now) and
 * adds the cost settled out of it to `spent`; then checks exhaustion exactly as RESERVE does, counting
 * what the instance's in-flight reservations hold as reserved. Refused (only when a reservation waits), the new
 * slice is just what they hold; otherwise it is that plus min(want, max(need, ¼ of the least room left in an
 * enforced window)), so near a limit it shrinks to the one reservation asked for and the budget is overshot by at
 * most one reservation across all instances, as with RESERVE. Writes nothing while a window is unseeded.
 * KEYS: hash1, zset1, ... ARGV: now, slice member, settled, held, a reservation waits (1/0), need, want, expiresAt,
 * then per window: limit, enforce (1/0), key TTL (ms).
 * Returns {status (1, 0 refused, -1 unseeded), exhausted or unseeded, spent, slice, any window enforced (1/0), headroom}.
 */
const SYNC_SLICE = new RedisScript(`${SWEEP_EXPIRED}
local now = tonumber(ARGV[1])
local member = ARGV[2]
local tombstone = 'c' .. string.sub(member, 2)
local settled = tonumber(ARGV[3])
local held = tonumber(ARGV[4])
local forReservation = ARGV[5] == '1'
local need = tonumber(ARGV[6])
local want = math.max(tonumber(ARGV[7]), need)
local count = #KEYS / 2
local unseeded = {}
for i = 1, count do
  if redis.call('HEXISTS', KEYS[2 * i - 1], 'init') == 0 then unseeded[#unseeded + 1] = i end
end
if #unseeded > 0 then return {-1, unseeded, {}, 0, 0, 0} end
local spent = {}
local exhausted = {}
local limited = false
local headroom = 0
for i = 1, count do
  local hash = KEYS[2 * i - 1]
  local zset = KEYS[2 * i]
  sweepExpired(hash, zset, now, true)
  local previous = redis.call('HGET', hash, member)
  if previous then
    redis.call('HDEL', hash, member)
    redis.call('ZREM', zset, member)
    redis.call('HINCRBY', hash, 'reserved', -tonumber(previous))
  end
  local charged = redis.call('HGET', hash, tombstone)
  if charged then
    redis.call('HDEL', hash, tombstone)
    redis.call('HINCRBY', hash, 'spent', -tonumber(charged))
  end
  if settled > 0 then redis.call('HINCRBY', hash, 'spent', settled) end
  local values = redis.call('HMGET', hash, 'spent', 'reserved')
  local total = tonumber(values[1] or '0')
  spent[i] = total
  local base = 8 + (i - 1) * 3
  if ARGV[base + 2] == '1' then
    local left = tonumber(ARGV[base + 1]) - total - tonumber(values[2] or '0')
    if not limited or left < headroom then headroom = left end
    limited = true
    if left <= held then exhausted[#exhausted + 1] = i end
  end
end
local status = 1
local grant = want
if forReservation and #exhausted > 0 then
  status = 0
  grant = 0
elseif limited then
  grant = math.min(want, math.max(need, math.floor(math.max(0, headroom - held) / 4)))
end
local slice = held + grant
if slice > 0 then
  for i = 1, count do
    local hash = KEYS[2 * i - 1]
    local zset = KEYS[2 * i]
    redis.call('HSET', hash, member, slice)
    redis.call('HINCRBY', hash, 'reserved', slice)
    redis.call('ZADD', zset, ARGV[8], member)
    redis.call('PEXPIRE', zset, ARGV[8 + (i - 1) * 3 + 3])
  end
end
if status == 1 then exhausted = {} end
return {status, exhausted, spent, slice, limited and 1 or 0, headroom}
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

/**
 * Budget counters shared by every replica through Redis: one round trip per reservation; settlements share one per
 * event-loop turn. `syncSlice` serves SlicedBudgetCounters, which reserves from a slice held locally instead.
 */
export class RedisBudgetCounters implements BudgetCounters, BudgetSliceStore {
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

  async syncSlice(request: SliceSyncRequest): Promise<SliceSyncResult> {
    const keys = this.keysOf(request.windows);
    const args: (string | number)[] = [
      request.now,
      `s:${request.sliceId}`,
      reservedAmount(request.settledMicros),
      reservedAmount(request.heldMicros),
      request.forReservation ? 1 : 0,
      reservedAmount(request.needMicros),
      reservedAmount(request.wantMicros),
      request.expiresAt,
    ];
    for (const window of request.windows) args.push(window.definition.limitMicros, window.definition.enforce ? 1 : 0, keyTtl(window, request.now));
    for (let attempt = 0; ; attempt++) {
      const [status, indexes, spent, slice, limited, headroom] = (await SYNC_SLICE.run(this.redis, keys, args)) as [number, number[], number[], number, number, number];
      if (status === -1 && attempt < 2) {
        await Promise.all(indexes.map((index) => this.seedWindow(request.windows[index - 1] as BudgetWindow, request.now)));
        continue;
      }
      if (status === -1) throw new Error('budget counters could not be seeded in Redis');
      return {
        ok: status === 1,
        spentMicros: spent.map(Number),
        exhausted: indexes.map((index) => index - 1),
        sliceMicros: Number(slice),
        headroomMicros: limited === 1 ? Number(headroom) : Infinity,
      };
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
