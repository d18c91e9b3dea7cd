import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { budgetWindow, type BudgetWindow, type ReserveResult } from '../../src/limits/budgetCounters.js';
import { RedisBudgetCounters } from '../../src/limits/redisBudgetCounters.js';
import { SlicedBudgetCounters } from '../../src/limits/slicedBudgetCounters.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { ManualClock, REDIS_URL, budget, useTestRedis } from './limitsTestSupport.js';

const { prefix, redis: shared } = useTestRedis('switchyard-test-sliced-budgets');
const TTL_MS = 15 * 60_000;
const SLICE_TTL_MS = 30_000;

/** Connections of their own for the "replicas", so that counting one's commands counts nothing else. */
const replicaConnections: Redis[] = [];
beforeAll(async () => {
  for (let index = 0; index < 3; index++) {
    const connection = connectRedis(REDIS_URL, `switchyard-test-sliced-replica-${index}`);
    await waitForRedis(connection);
    replicaConnections.push(connection);
  }
});
afterAll(() => {
  for (const connection of replicaConnections) connection.disconnect();
});

function replica(index: number, clock: ManualClock): SlicedBudgetCounters {
  return new SlicedBudgetCounters(new RedisBudgetCounters(replicaConnections[index] as Redis, prefix), { clock: clock.now, flushIntervalMs: 0, sliceTtlMs: SLICE_TTL_MS });
}

/** A daily budget of its own (a fresh key id), its window at the clock's time, and its Redis hash. */
function freshBudget(limitMicros: number, clock: ManualClock) {
  const window = budgetWindow(budget({ keyId: `key_${randomUUID().slice(0, 8)}`, period: 'daily', limitMicros }), clock.now());
  const windows: readonly BudgetWindow[] = [window];
  const hash = `${prefix}budget:${window.counter}`;
  const counts = async () => {
    const [spent, reserved] = await shared().hmget(hash, 'spent', 'reserved');
    return { spent: Number(spent ?? 0), reserved: Number(reserved ?? 0) };
  };
  return { windows, hash, counts };
}

function reserveWith(counters: SlicedBudgetCounters, windows: readonly BudgetWindow[], clock: ManualClock, amountMicros: number) {
  const id = randomUUID();
  const reserved = counters.reserve({ id, amountMicros, now: clock.now(), expiresAt: clock.now() + TTL_MS, windows });
  const settle = (actualMicros: number) => counters.settle({ id, reservedMicros: amountMicros, actualMicros, now: clock.now(), windows });
  return { reserved, settle };
}

/** Every command a SlicedBudgetCounters sends is a script (reserve, seed, settle): counts them on one connection. */
function countScripts(connection: Redis): { calls: () => number; restore: () => void } {
  const evalsha = vi.spyOn(connection, 'evalsha');
  const evalScript = vi.spyOn(connection, 'eval');
  return {
    calls: () => evalsha.mock.calls.length + evalScript.mock.calls.length,
    restore: () => {
      evalsha.mockRestore();
      evalScript.mockRestore();
    },
  };
}

describe('SlicedBudgetCounters', () => {
  it('serves steady-state reservations without any Redis command; one flush per tick pushes what they cost', async () => {
    const clock = new ManualClock();
    const counters = replica(0, clock);
    const { windows, counts } = freshBudget(1_000_000_000, clock);
    const scripts = countScripts(replicaConnections[0] as Redis);
    try {
      let settledMicros = 0;
      const perRound: number[] = [];
      for (let round = 0; round < 10; round++) {
        const before = scripts.calls();
        // 20 requests per tick, five at a time in flight.
        for (let batch = 0; batch < 4; batch++) {
          const inFlight = Array.from({ length: 5 }, () => reserveWith(counters, windows, clock, 10_000));
          for (const { reserved } of inFlight) expect((await reserved).ok).toBe(true);
          for (const { settle } of inFlight) await settle(4_000);
          settledMicros += 5 * 4_000;
        }
        perRound.push(scripts.calls() - before);
        clock.advance(250);
        const beforeFlush = scripts.calls();
        await counters.flushDue();
        expect(scripts.calls() - beforeFlush).toBe(1);
      }
      // The first tick grows the slice (a few syncs); after that requests make no Redis command at all.
      expect(perRound[0]).toBeGreaterThan(0);
      expect(perRound.slice(1)).toEqual(Array.from({ length: 9 }, () => 0));
      expect((await counts()).spent).toBe(settledMicros);
      await counters.close();
      expect(await counts()).toEqual({ spent: settledMicros, reserved: 0 });
    } finally {
      scripts.restore();
    }
  });

  it('two replicas sharing a budget worth 10 reservations admit 10 or 11 of 200 parallel ones, and settle within one reservation of the limit', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const clock = new ManualClock();
      const replicas = [replica(0, clock), replica(1, clock)];
      const { windows, counts } = freshBudget(10 * 1_000, clock);
      const requests = Array.from({ length: 200 }, (_, index) => reserveWith(replicas[index % 2] as SlicedBudgetCounters, windows, clock, 1_000));
      const results = await Promise.all(requests.map(({ reserved }) => reserved));
      const admitted = requests.filter((_, index) => (results[index] as ReserveResult).ok);
      expect(admitted.length).toBeGreaterThanOrEqual(10);
      expect(admitted.length).toBeLessThanOrEqual(11);
      for (const result of results) if (!result.ok) expect(result.exhausted).toEqual([0]);
      // Each admitted request costs all it reserved.
      for (const { settle } of admitted) await settle(1_000);
      await Promise.all(replicas.map((counters) => counters.close()));
      const { spent, reserved } = await counts();
      expect(spent).toBe(admitted.length * 1_000);
      expect(spent).toBeLessThanOrEqual(10_000 + 1_000);
      expect(reserved).toBe(0);
    }
  });

  it('charges the whole slice of a replica that dies (never settles, never returns it) once it expires, so others are refused accordingly', async () => {
    const clock = new ManualClock();
    const dying = replica(0, clock);
    const survivor = replica(1, clock);
    const { windows, hash, counts } = freshBudget(10_000, clock);
    // Asks for twice its demand: a slice of 2 000, of which the one reservation holds 1 000.
    expect((await reserveWith(dying, windows, clock, 1_000).reserved).ok).toBe(true);
    expect(await counts()).toEqual({ spent: 0, reserved: 2_000 });

    clock.advance(SLICE_TTL_MS + 1);
    const first = reserveWith(survivor, windows, clock, 1_000);
    // Nobody knows what the dead replica spent of its slice: all of it counts, the unused half too.
    expect(await first.reserved).toEqual({ ok: true, spentMicros: [2_000], exhausted: [] });
    await first.settle(1_000);
    let admitted = 1;
    for (;;) {
      const next = reserveWith(survivor, windows, clock, 1_000);
      if (!(await next.reserved).ok) break;
      admitted++;
      await next.settle(1_000);
    }
    expect(admitted).toBe(8);
    await survivor.close();
    expect(await counts()).toEqual({ spent: 10_000, reserved: 0 });
    expect(Object.keys(await shared().hgetall(hash)).filter((field) => field.startsWith('s:'))).toEqual([]);
  });

  it('takes the charge back when a replica whose slice expired was only late, and counts what it really used', async () => {
    const clock = new ManualClock();
    const late = replica(0, clock);
    const other = replica(1, clock);
    const { windows, counts } = freshBudget(10_000, clock);
    const stalled = reserveWith(late, windows, clock, 1_000);
    expect((await stalled.reserved).ok).toBe(true);
    clock.advance(SLICE_TTL_MS + 1);
    const meanwhile = reserveWith(other, windows, clock, 1_000);
    expect(await meanwhile.reserved).toMatchObject({ ok: true, spentMicros: [2_000] });
    await stalled.settle(300);
    await meanwhile.settle(500);
    await late.close();
    await other.close();
    expect(await counts()).toEqual({ spent: 800, reserved: 0 });
  });

  it('gives an idle slice back, so another replica can use the budget', async () => {
    const clock = new ManualClock();
    const idle = replica(0, clock);
    const busy = replica(1, clock);
    const { windows, counts } = freshBudget(10_000, clock);
    // Three requests grow the idle replica's slice to 4 000; they cost 3 000 in all.
    const early = [reserveWith(idle, windows, clock, 1_000), reserveWith(idle, windows, clock, 1_000)];
    for (const { reserved } of early) expect((await reserved).ok).toBe(true);
    const third = reserveWith(idle, windows, clock, 1_000);
    expect((await third.reserved).ok).toBe(true);
    for (const { settle } of [...early, third]) await settle(1_000);
    expect(await counts()).toEqual({ spent: 0, reserved: 4_000 });

    const useUp = async () => {
      let admitted = 0;
      for (;;) {
        const next = reserveWith(busy, windows, clock, 1_000);
        if (!(await next.reserved).ok) return admitted;
        admitted++;
        await next.settle(1_000);
      }
    };
    // While the idle replica keeps its slice, 1 000 of it unused, the other gets what is left beside it.
    expect(await useUp()).toBe(6);

    clock.advance(1_000);
    await idle.flushDue();
    // Its settled cost is pushed and its slice is gone (the other pushed its own when it was refused).
    expect(await counts()).toEqual({ spent: 9_000, reserved: 0 });
    expect(await useUp()).toBe(1);
    await busy.close();
    await idle.close();
    expect(await counts()).toEqual({ spent: 10_000, reserved: 0 });
  });

  it('close() pushes every settlement and returns every slice', async () => {
    const clock = new ManualClock();
    const counters = replica(2, clock);
    const { windows, counts } = freshBudget(1_000_000, clock);
    let settledMicros = 0;
    for (let round = 0; round < 5; round++) {
      const requests = Array.from({ length: 30 }, (_, index) => reserveWith(counters, windows, clock, 2_000 + index));
      const results = await Promise.all(requests.map(({ reserved }) => reserved));
      expect(results.every((result) => result.ok)).toBe(true);
      for (const [index, { settle }] of requests.entries()) {
        await settle(index * 10);
        settledMicros += index * 10;
      }
      clock.advance(100);
    }
    expect((await counts()).reserved).toBeGreaterThan(0);
    await counters.close();
    expect(await counts()).toEqual({ spent: settledMicros, reserved: 0 });
  });

  it('hands a Redis failure to the caller and pushes the settled cost it could not push at the next sync, once', async () => {
    const clock = new ManualClock();
    const connection = connectRedis(REDIS_URL, 'switchyard-test-sliced-failing');
    connection.on('error', () => undefined);
    await waitForRedis(connection);
    try {
      const counters = new SlicedBudgetCounters(new RedisBudgetCounters(connection, prefix), { clock: clock.now, flushIntervalMs: 0 });
      const { windows, counts } = freshBudget(1_000_000, clock);
      const first = reserveWith(counters, windows, clock, 1_000);
      expect((await first.reserved).ok).toBe(true);
      await first.settle(700);

      const closed = once(connection, 'end');
      connection.disconnect();
      await expect(counters.flush()).rejects.toThrow();
      // The slice may or may not be what Redis holds now: nothing more is served from it without Redis.
      await expect(reserveWith(counters, windows, clock, 1).reserved).rejects.toThrow();

      await closed;
      await connection.connect();
      await counters.close();
      expect(await counts()).toEqual({ spent: 700, reserved: 0 });
    } finally {
      connection.disconnect();
    }
  });

  it('with its timer, pushes settled cost and gives an idle slice back within about a second', async () => {
    const counters = new SlicedBudgetCounters(new RedisBudgetCounters(replicaConnections[2] as Redis, prefix), { flushIntervalMs: 20 });
    const clock = new ManualClock(Date.now());
    const { windows, counts } = freshBudget(1_000_000, clock);
    try {
      const request = reserveWith(counters, windows, clock, 5_000);
      expect((await request.reserved).ok).toBe(true);
      await request.settle(1_234);
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline) {
        const { spent, reserved } = await counts();
        if (spent === 1_234 && reserved === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await counts()).toEqual({ spent: 1_234, reserved: 0 });
    } finally {
      await counters.close();
    }
  });
});
