import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN, generateApiKey, hashApiKey, keyIdFromHash } from './apiKeyFormat.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('API_KEY_PATTERN', () => {
  it.each<[string, boolean]>([
    [`ak_live_${'a'.repeat(32)}`, true],
    [`ak_test_${'Z9'.repeat(16)}`, true],
    [`ak_live_${'x'.repeat(200)}`, true],
    [`ak_live_${'a'.repeat(31)}`, false],
    [`ak_prod_${'a'.repeat(32)}`, false],
    [`AK_LIVE_${'a'.repeat(32)}`, false],
    [`ak_live${'a'.repeat(33)}`, false],
    [`ak_live_${'a'.repeat(31)}-`, false],
    [`ak_live_${'a'.repeat(31)}_`, false],
    [`ak_live_${'a'.repeat(32)} `, false],
    [` ak_live_${'a'.repeat(32)}`, false],
    [`ak_live_${'a'.repeat(32)}\n`, false],
    [`ak_live_${'ä'.repeat(32)}`, false],
    [`sk-${'a'.repeat(40)}`, false],
    ['', false],
  ])('%j → %s', (key, valid) => {
    expect(API_KEY_PATTERN.test(key)).toBe(valid);
  });
});

describe('generateApiKey', () => {
  it.each(['live', 'test'] as const)('makes %s keys of 40 base62 characters that match the pattern', (kind) => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey(kind);
      expect(key).toMatch(new RegExp(`^ak_${kind}_[A-Za-z0-9]{40}$`));
      expect(API_KEY_PATTERN.test(key)).toBe(true);
    }
  });

  it.each([32, 33, 64, 100])('honours a length of %i', (length) => {
    const key = generateApiKey('test', length);
    expect(key).toHaveLength(8 + length);
    expect(API_KEY_PATTERN.test(key)).toBe(true);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('live')));
    expect(keys.size).toBe(1000);
  });

  it('draws the characters uniformly from all of base62', () => {
    // 200 000 characters: each of the 62 is expected ~3226 times; a modulo bias (256 % 62) would put the first 8 near +25 %.
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 2500; i++) {
      for (const character of generateApiKey('live', 80).slice(8)) {
        counts.set(character, (counts.get(character) ?? 0) + 1);
        total++;
      }
    }
    expect([...counts.keys()].sort()).toEqual([...BASE62].sort());
    const expected = total / 62;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 61 degrees of freedom: p = 0.0001 at about 112; a biased generator scores in the thousands.
    expect(chiSquare).toBeLessThan(112);
  });
});

describe('hashApiKey and keyIdFromHash', () => {
  it('hashes with SHA-256 over the UTF-8 key', () => {
    const key = `ak_test_${'a'.repeat(32)}`;
    expect(hashApiKey(key).toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toHaveLength(32);
  });

  it('derives a stable id from the first 8 bytes of the hash, never from the key itself', () => {
    const key = generateApiKey('live');
    const id = keyIdFromHash(hashApiKey(key));
    expect(id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(id).toBe(`key_${hashApiKey(key).subarray(0, 8).toString('hex')}`);
    expect(keyIdFromHash(hashApiKey(key))).toBe(id);
    expect(id).not.toContain(key.slice(8, 16));
    expect(keyIdFromHash(hashApiKey(generateApiKey('live')))).not.toBe(id);
  });
});
