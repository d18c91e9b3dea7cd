import { describe, expect, it } from 'vitest';
import { computeCost } from './computeCost.js';
import { toOfferPrice, usdToMicros } from './offerPrice.js';

const usage = (promptTokens: number, completionTokens: number, cachedTokens = 0, cacheWriteTokens = 0) => ({
  promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedTokens, cacheWriteTokens, reasoningTokens: 0,
});

describe('computeCost', () => {
  it('prices prompt and completion tokens per 1M in integer micro-USD', () => {
    const price = toOfferPrice({ input: 2.5, output: 10 });
    expect(computeCost(usage(1000, 500), price)).toEqual({ micros: 2500 + 5000, savingsMicros: 0 });
  });

  it('prices cached tokens at the cache-read price and reports the saving', () => {
    const price = toOfferPrice({ input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 });
    // 2066 prompt = 18 uncached + 2048 read; 96 output.
    const cost = computeCost(usage(2066, 96, 2048), price);
    expect(cost.micros).toBe(Math.round((18 * 3_000_000 + 2048 * 300_000 + 96 * 15_000_000) / 1_000_000));
    expect(cost.savingsMicros).toBe(Math.round((2048 * 2_700_000) / 1_000_000));
  });

  it('prices cache writes at the cache-write price', () => {
    const price = toOfferPrice({ input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 });
    expect(computeCost(usage(1000, 0, 0, 1000), price).micros).toBe(3750);
  });

  it('defaults cache prices to the input price', () => {
    const price = toOfferPrice({ input: 1, output: 1 });
    expect(price.cacheRead).toBe(1_000_000);
    expect(computeCost(usage(100, 0, 100), price)).toEqual({ micros: 100, savingsMicros: 0 });
  });

  it('never counts more cached than prompt tokens', () => {
    const price = toOfferPrice({ input: 1, output: 1, cache_read: 0.1 });
    expect(computeCost(usage(10, 0, 50), price).micros).toBe(1);
  });

  it('rounds fractional micro-dollars once, at the end', () => {
    const price = toOfferPrice({ input: 0.15, output: 0.6 });
    // 7 × 0.15 + 3 × 0.6 = 2.85 micro-USD → 3.
    expect(computeCost(usage(7, 3), price).micros).toBe(3);
  });

  it('converts config prices exactly', () => {
    expect(usdToMicros(0.075)).toBe(75_000);
    expect(usdToMicros(0.88)).toBe(880_000);
  });
});
