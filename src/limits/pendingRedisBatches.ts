import type { Redis } from 'ioredis';

/** Per connection, the sends of batches still waiting for the end of the event-loop turn. */
const pending = new WeakMap<Redis, Set<() => void>>();

/** Registers a batch's send; it runs at `flushPendingBatches` or by the batch's own timer, whichever comes first. */
export function addPendingBatch(redis: Redis, send: () => void): void {
  let sends = pending.get(redis);
  if (sends === undefined) pending.set(redis, (sends = new Set()));
  sends.add(send);
}

export function removePendingBatch(redis: Redis, send: () => void): void {
  pending.get(redis)?.delete(send);
}

/** Sends every waiting batch now: a script about to run must come after the writes issued before it. */
export function flushPendingBatches(redis: Redis): void {
  const sends = pending.get(redis);
  if (sends === undefined || sends.size === 0) return;
  for (const send of [...sends]) send();
}
