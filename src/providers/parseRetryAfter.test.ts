import { describe, expect, it } from 'vitest';
import type { ResponseHeaders } from './adapter.js';
import { headerValue, parseRetryAfter } from './parseRetryAfter.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string, ResponseHeaders, number | undefined]>([
    ['no header', {}, undefined],
    ['retry-after seconds', { 'retry-after': '20' }, 20],
    ['retry-after zero', { 'retry-after': '0' }, 0],
    ['retry-after fractional seconds, rounded up', { 'retry-after': '1.2' }, 2],
    ['retry-after with spaces', { 'retry-after': ' 7 ' }, 7],
    ['retry-after HTTP date 90 s ahead', { 'retry-after': 'Thu, 01 Jan 2026 00:01:30 GMT' }, 90],
    ['retry-after HTTP date in the past', { 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    ['retry-after garbage', { 'retry-after': 'soon' }, undefined],
    ['retry-after empty', { 'retry-after': '' }, undefined],
    ['retry-after negative', { 'retry-after': '-1' }, undefined],
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 2],
    ['retry-after-ms exact seconds', { 'retry-after-ms': '3000' }, 3],
    ['retry-after-ms zero', { 'retry-after-ms': '0' }, 0],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '250', 'retry-after': '30' }, 1],
    ['unreadable retry-after-ms falls back to retry-after', { 'retry-after-ms': 'x', 'retry-after': '30' }, 30],
    ['empty retry-after-ms falls back to retry-after', { 'retry-after-ms': '', 'retry-after': '30' }, 30],
    ['negative retry-after-ms falls back to retry-after', { 'retry-after-ms': '-5', 'retry-after': '4' }, 4],
    ['repeated header: the first value', { 'retry-after': ['5', '60'] }, 5],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });

  it('reads a date half a second ahead as one second', () => {
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:01 GMT' }, NOW - 500)).toBe(2);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:01 GMT' }, NOW + 500)).toBe(1);
  });

  it('uses the current time by default', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': inTenSeconds })).toBeGreaterThanOrEqual(9);
    expect(parseRetryAfter({ 'retry-after': inTenSeconds })).toBeLessThanOrEqual(10);
  });
});

describe('headerValue', () => {
  it('returns a string, the first of a list, or undefined', () => {
    expect(headerValue({ a: 'x' }, 'a')).toBe('x');
    expect(headerValue({ a: ['y', 'z'] }, 'a')).toBe('y');
    expect(headerValue({ a: undefined }, 'a')).toBeUndefined();
    expect(headerValue({}, 'a')).toBeUndefined();
  });
});
