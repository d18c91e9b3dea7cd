import type { Redis } from 'ioredis';
import { addPendingBatch, removePendingBatch } from './pendingRedisBatches.js';
import { RedisScript } from './redisScript.js';

/** Most invocations one script call carries, so that no single call holds Redis for long. */
const MAX_GROUPS = 256;

interface Batch {
  send: () => void;
  keys: string[];
  args: (string | number)[];
  groups: number;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * A write-only Lua script whose invocations made in one event-loop turn run as one script call: requests ending
 * together each settle a budget reservation made outside a slice, and a Redis command costs the gateway more CPU
 * than its own translation. The batch goes out at the end of the turn, or at once when any RedisScript is about to
 * run on the connection, so a settlement is always seen by the next reservation. Batches of different scripts may pass each other:
 * use this only for writes that commute with one another. The body sees its own KEYS and ARGV per invocation;
 * its return value is ignored.
 */
export class BatchedRedisScript {
  private readonly script: RedisScript;
  private readonly batches = new Map<Redis, Batch>();

  constructor(lua: string) {
    this.script = new RedisScript(`
local function once(KEYS, ARGV)
${lua}
end
local position = 2
local keyPosition = 1
for _ = 1, tonumber(ARGV[1]) do
  local keyCount = tonumber(ARGV[position])
  local argCount = tonumber(ARGV[position + 1])
  position = position + 2
  local keys = {}
  for i = 1, keyCount do keys[i] = KEYS[keyPosition + i - 1] end
  local args = {}
  for i = 1, argCount do args[i] = ARGV[position + i - 1] end
  keyPosition = keyPosition + keyCount
  position = position + argCount
  once(keys, args)
end
return 1
`);
  }

  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<void> {
    let batch = this.batches.get(redis);
    if (batch === undefined) {
      const created: Batch = { send: () => this.flush(redis, created), keys: [], args: [0], groups: 0, waiters: [] };
      batch = created;
      this.batches.set(redis, created);
      addPendingBatch(redis, created.send);
      setImmediate(created.send);
    }
    for (const key of keys) batch.keys.push(key);
    batch.args.push(keys.length, args.length);
    for (const arg of args) batch.args.push(arg);
    batch.groups++;
    const done = new Promise<void>((resolve, reject) => (batch as Batch).waiters.push({ resolve, reject }));
    if (batch.groups >= MAX_GROUPS) this.flush(redis, batch);
    return done;
  }

  private flush(redis: Redis, batch: Batch): void {
    if (this.batches.get(redis) !== batch) return;
    this.batches.delete(redis);
    removePendingBatch(redis, batch.send);
    batch.args[0] = batch.groups;
    this.script.run(redis, batch.keys, batch.args).then(
      () => {
        for (const waiter of batch.waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
  }
}
