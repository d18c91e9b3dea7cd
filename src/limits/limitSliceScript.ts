import { CONCURRENCY_RETRY_MS, LIMIT_WINDOW_MS } from './rateLimitOutcome.js';

/** An instance takes at most this fraction (1/n) of what is left of a limit as spare, so near it slices shrink to single admissions. */
export const SLICE_SHARE = 4;

/**
 * The Redis side of RedisRequestLimiter: per key a log of admissions (sorted set of `<id>:<count>` entries scored by
 * when they stop counting, their sum in the state hash as `requests`), a token bucket (`level`, `at` in the state
 * hash) and concurrency slots per holder instance (`h:<holder>` and their sum `slots` in the state hash; the
 * holders' lease deadlines in a sorted set). One call: sweeps what expired; takes back the caller's last spare
 * admissions, logging the ones it used at their last use; applies token corrections; then, when a request is
 * waiting, checks every limit for it exactly as a per-request limiter would and, if all admit, grants it plus
 * spare admissions, tokens and slots of at most 1/SLICE_SHARE of what is left. A refusal changes no limit.
 * KEYS: requests log, state hash, holders.
 * ARGV: 1 now, 2 rpm, 3 tpm, 4 max concurrent (-1 = none), 5 holder id, 6 last spare id ('' = none),
 * 7 its granted count, 8 how many of it were used, 9 when those stop counting, 10 a request waits (1/0),
 * 11 new entry id, 12 spare admissions wanted, 13 when new spare stops counting, 14 token correction,
 * 15 the request's token estimate, 16 spare tokens wanted, 17 requests in flight on the holder,
 * 18 spare slots wanted, 19 holder lease deadline, 20 shortest key TTL (ms).
 * Returns {code (0 admitted, 1 requests, 2 tokens, 3 concurrency), retry ms, requests counted, ms until the oldest
 * stops counting, token level, spare admissions, spare tokens, slots held}.
 */
export const LIMIT_SLICE_SCRIPT = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local conc = tonumber(ARGV[4])
local holder = ARGV[5]
local waiting = ARGV[10] == '1'
local window = ${LIMIT_WINDOW_MS}
local share = ${SLICE_SHARE}
local function amount(member) return tonumber(string.match(member, ':(%d+)$') or '0') end
-- Drops the entries of a sorted set whose score has passed; returns total less what they weighed.
local function sweep(zset, total, weight)
  local expired = redis.call('ZRANGEBYSCORE', zset, '-inf', now)
  if #expired == 0 then return total end
  for _, member in ipairs(expired) do total = total - weight(member) end
  redis.call('ZREMRANGEBYSCORE', zset, '-inf', now)
  return total
end

local count = 0
local oldestWait = 0
if rpm >= 0 then
  count = sweep(KEYS[1], tonumber(redis.call('HGET', KEYS[2], 'requests') or '0'), amount)
  if ARGV[6] ~= '' then
    if redis.call('ZREM', KEYS[1], ARGV[6] .. ':' .. ARGV[7]) == 1 then count = count - tonumber(ARGV[7]) end
    local used = tonumber(ARGV[8])
    if used > 0 and tonumber(ARGV[9]) > now then
      redis.call('ZADD', KEYS[1], ARGV[9], ARGV[6] .. ':' .. used)
      count = count + used
    end
  end
  if count < 0 then count = 0 end
  if count > 0 then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    if oldest[2] then oldestWait = math.max(0, tonumber(oldest[2]) - now) end
  end
end

local level = 0
if tpm >= 0 then
  local state = redis.call('HMGET', KEYS[2], 'level', 'at')
  if state[1] then
    local drained = math.max(0, now - tonumber(state[2])) * tpm / window
    level = math.max(0, tonumber(state[1]) - drained)
  end
  level = math.max(0, level + tonumber(ARGV[14]))
end

local slots = 0
local own = 0
if conc >= 0 then
  slots = sweep(KEYS[3], tonumber(redis.call('HGET', KEYS[2], 'slots') or '0'), function(gone)
    local held = tonumber(redis.call('HGET', KEYS[2], 'h:' .. gone) or '0')
    redis.call('HDEL', KEYS[2], 'h:' .. gone)
    return held
  end)
  own = tonumber(redis.call('HGET', KEYS[2], 'h:' .. holder) or '0')
  if slots < own then slots = own end
end
local others = slots - own
local inflight = tonumber(ARGV[17])
local estimate = tonumber(ARGV[15])

local code = 0
local retry = 0
if waiting then
  if rpm >= 0 and count + 1 > rpm then
    code = 1
    retry = oldestWait
  end
  if tpm >= 0 then
    local needed = math.min(estimate, tpm)
    if level + needed > tpm then
      if code == 0 then code = 2 end
      retry = math.max(retry, (level + needed - tpm) * window / tpm)
    end
  end
  if conc >= 0 and others + inflight + 1 > conc then
    if code == 0 then code = 3 end
    retry = math.max(retry, ${CONCURRENCY_RETRY_MS})
  end
end

local spare = 0
local spareTokens = 0
local held = inflight
if waiting and code == 0 then
  if rpm >= 0 then
    if count == 0 then oldestWait = window end
    redis.call('ZADD', KEYS[1], now + window, ARGV[11] .. 'n:1')
    spare = math.max(0, math.min(tonumber(ARGV[12]), math.floor((rpm - count - 1) / share)))
    if spare > 0 then redis.call('ZADD', KEYS[1], ARGV[13], ARGV[11] .. ':' .. spare) end
    count = count + 1 + spare
  end
  if tpm >= 0 then
    spareTokens = math.max(0, math.min(tonumber(ARGV[16]), math.floor((tpm - level - estimate) / share)))
    level = level + estimate + spareTokens
  end
  if conc >= 0 then
    held = inflight + 1 + math.max(0, math.min(tonumber(ARGV[18]), math.floor((conc - others - inflight - 1) / share)))
  end
end

if rpm >= 0 then redis.call('HSET', KEYS[2], 'requests', count) end
if tpm >= 0 then redis.call('HSET', KEYS[2], 'level', tostring(level), 'at', ARGV[1]) end
if conc >= 0 then
  redis.call('HSET', KEYS[2], 'slots', others + held)
  if held > 0 then
    redis.call('HSET', KEYS[2], 'h:' .. holder, held)
    redis.call('ZADD', KEYS[3], ARGV[19], holder)
  else
    redis.call('HDEL', KEYS[2], 'h:' .. holder)
    redis.call('ZREM', KEYS[3], holder)
  end
end
local ttl = math.max(tonumber(ARGV[20]), tonumber(ARGV[13]) - now + 1000)
if tpm > 0 then ttl = math.max(ttl, math.ceil(level * window / tpm) + window) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], math.ceil(ttl)) end
return {code, math.ceil(retry), count, math.ceil(oldestWait), math.floor(level), spare, spareTokens, held}
`;
