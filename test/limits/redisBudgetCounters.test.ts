import { describe, expect, it } from 'vitest';
import { budgetWindow } from '../../src/limits/budgetCounters.js';
import { RedisBudgetCounters } from '../../src/limits/redisBudgetCounters.js';
import { budget, useTestRedis } from './limitsTestSupport.js';

const { prefix, redis: connection } = useTestRedis('switchyard-test-budget-counters');
const NOW = Date.UTC(2026, 10, 26, 12);

describe('RedisBudgetCounters keys', () => {
  const window = budgetWindow(budget({ keyId: 'key_a', period: 'daily', limitMicros: 1_000_000 }), NOW);
  const hash = `${prefix}budget:${window.counter}`;
  const reservations = `${hash}:reservations`;

  it('keeps the amount in the reservation member and leaves nothing behind once settled', async () => {
    const redis = connection();
    const counters = new RedisBudgetCounters(redis, prefix, async () => 700);
    const reserved = await counters.reserve({ id: 'r1', amountMicros: 5_000.4, now: NOW, expiresAt: NOW + 60_000, windows: [window] });
    expect(reserved).toEqual({ ok: true, spentMicros: [700], exhausted: [] });
    expect(await redis.zrange(reservations, 0, -1)).toEqual(['r1:5000']);
    expect(await redis.hget(hash, 'reserved')).toBe('5000');
    // The counter lives until its period has ended (and a day more), set once when it was seeded.
    expect(await redis.pttl(hash)).toBeGreaterThan(0);
    expect(await redis.pttl(reservations)).toBeGreaterThan(0);

    await counters.settle({ id: 'r1', reservedMicros: 5_000.4, actualMicros: 1_200, now: NOW + 10, windows: [window] });
    expect(await redis.exists(reservations)).toBe(0);
    expect(await redis.hmget(hash, 'spent', 'reserved')).toEqual(['1900', '0']);
  });

  it('gives back what an expired reservation held, once, even if it is settled late', async () => {
    const redis = connection();
    const counters = new RedisBudgetCounters(redis, prefix, async () => 0);
    await counters.reserve({ id: 'lost', amountMicros: 3_000, now: NOW, expiresAt: NOW + 1_000, windows: [window] });
    expect(await redis.hget(hash, 'reserved')).toBe('3000');
    await counters.reserve({ id: 'later', amountMicros: 100, now: NOW + 2_000, expiresAt: NOW + 60_000, windows: [window] });
    expect(await redis.hget(hash, 'reserved')).toBe('100');
    expect(await redis.zrange(reservations, 0, -1)).toEqual(['later:100']);
    // The late settlement adds its cost but does not give the reservation back a second time.
    await counters.settle({ id: 'lost', reservedMicros: 3_000, actualMicros: 50, now: NOW + 3_000, windows: [window] });
    expect(await redis.hmget(hash, 'spent', 'reserved')).toEqual(['1950', '100']);
  });

  it('keeps an instance slice as `s:<id>` with its amount in the hash; expired, any sweep charges it in full, which its owner can take back', async () => {
    const redis = connection();
    const counters = new RedisBudgetCounters(redis, prefix, async () => 700);
    // A window of its own, so that the reservations of the tests above do not count.
    const window = budgetWindow(budget({ keyId: 'key_b', period: 'daily', limitMicros: 1_000_000 }), NOW);
    const hash = `${prefix}budget:${window.counter}`;
    const reservations = `${hash}:reservations`;
    const slice = { sliceId: 'slice-a', settledMicros: 0, heldMicros: 0, forReservation: true, needMicros: 1_000, wantMicros: 4_000, windows: [window] };
    const before = 700;
    const granted = await counters.syncSlice({ ...slice, now: NOW + 10_000, expiresAt: NOW + 20_000 });
    expect(granted).toEqual({ ok: true, spentMicros: [before], exhausted: [], sliceMicros: 4_000, headroomMicros: 1_000_000 - before });
    expect(await redis.hget(hash, 's:slice-a')).toBe('4000');
    expect(await redis.zscore(reservations, 's:slice-a')).toBe(String(NOW + 20_000));

    // A per-request reservation after the slice expired: the sweep charges the slice and notes the charge.
    await counters.reserve({ id: 'r2', amountMicros: 10, now: NOW + 20_000, expiresAt: NOW + 60_000, windows: [window] });
    expect(await redis.hmget(hash, 'spent', 'reserved', 's:slice-a', 'c:slice-a')).toEqual([String(before + 4_000), '10', null, '4000']);

    // The owner was only late: it reports what it settled and holds, and the charge goes.
    const back = await counters.syncSlice({ ...slice, now: NOW + 21_000, expiresAt: NOW + 51_000, settledMicros: 1_500, heldMicros: 500, forReservation: false, needMicros: 0, wantMicros: 0 });
    expect(back).toMatchObject({ ok: true, spentMicros: [before + 1_500], sliceMicros: 500 });
    expect(await redis.hmget(hash, 'spent', 'reserved', 's:slice-a', 'c:slice-a')).toEqual([String(before + 1_500), '510', '500', null]);
  });
});
