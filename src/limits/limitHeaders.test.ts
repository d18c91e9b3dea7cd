import { describe, expect, it } from 'vitest';
import { formatResetDuration, formatUsd, retryAfterSeconds } from './limitHeaders.js';

describe('limit header values', () => {
  it.each([
    [0, '0ms'],
    [20, '20ms'],
    [999.2, '1s'],
    [1000, '1s'],
    [7660, '7.66s'],
    [60_000, '1m0s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h0m0s'],
    [-5, '0ms'],
  ])('formatResetDuration(%d) = %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });

  it.each([
    [0, '0'],
    [1, '0.000001'],
    [2_500_000, '2.5'],
    [1_234_567, '1.234567'],
    [10_000_000, '10'],
    [-1_500_000, '-1.5'],
  ])('formatUsd(%d) = %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });

  it.each([
    [0, 1],
    [1, 1],
    [1000, 1],
    [1001, 2],
    [86_400_000, 86_400],
  ])('retryAfterSeconds(%d) = %d', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });
});
