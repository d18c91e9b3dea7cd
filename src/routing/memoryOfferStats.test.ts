import { describe, expect, it } from 'vitest';
import { MemoryOfferStats } from './memoryOfferStats.js';
import { percentile } from './slidingWindow.js';

describe('MemoryOfferStats', () => {
  it('reports percentiles and success rate over the window', () => {
    const stats = new MemoryOfferStats({ capacity: 100, windowMs: 60_000, cacheMs: 0 });
    for (let value = 1; value <= 100; value++) stats.record('a', { success: value % 10 !== 0, ttftMs: value * 10, tps: value }, 1_000);
    const snapshot = stats.snapshot('a', 1_000);
    expect(snapshot.ttftP50).toBe(500);
    expect(snapshot.ttftP95).toBe(950);
    expect(snapshot.tpsP50).toBe(50);
    expect(snapshot.tpsP95).toBe(5);
    expect(snapshot.successRate).toBe(0.9);
    expect(snapshot.samples).toBe(100);
  });

  it('forgets samples older than the window and beyond the capacity', () => {
    const stats = new MemoryOfferStats({ capacity: 3, windowMs: 1_000, cacheMs: 0 });
    stats.record('a', { success: false, ttftMs: 9_999 }, 0);
    for (let index = 0; index < 3; index++) stats.record('a', { success: true, ttftMs: 100 }, 2_000);
    expect(stats.snapshot('a', 2_500)).toMatchObject({ ttftP95: 100, successRate: 1, samples: 3 });
    expect(stats.snapshot('a', 5_000)).toMatchObject({ ttftP50: undefined, successRate: undefined, samples: 0 });
  });

  it('knows nothing about an offer without samples', () => {
    expect(new MemoryOfferStats().snapshot('none', 0)).toMatchObject({ ttftP50: undefined, tpsP50: undefined, successRate: undefined, samples: 0 });
  });

  it('recomputes a cached snapshot when a sample arrives', () => {
    const stats = new MemoryOfferStats({ capacity: 10, windowMs: 60_000, cacheMs: 60_000 });
    stats.record('a', { success: true, ttftMs: 100 }, 0);
    expect(stats.snapshot('a', 0).ttftP50).toBe(100);
    stats.record('a', { success: true, ttftMs: 300 }, 1);
    stats.record('a', { success: true, ttftMs: 300 }, 1);
    expect(stats.snapshot('a', 2).ttftP50).toBe(300);
  });
});

describe('percentile', () => {
  it('is nearest-rank and undefined for no values', () => {
    expect(percentile([], 0.5)).toBeUndefined();
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([5], 0.95)).toBe(5);
  });
});
