import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/gatewayError.js';
import { hashApiKey, keyIdFromHash } from './apiKeyFormat.js';
import { ApiKeyRing } from './apiKeyRing.js';

const LIVE = `ak_live_${'A1b2C3d4'.repeat(5)}`;
const TEST = `ak_test_${'z'.repeat(32)}`;
const UNKNOWN = `ak_live_${'Q'.repeat(40)}`;
const NOW = 1_767_225_600_000;

function ring(): ApiKeyRing {
  const keys = new ApiKeyRing();
  keys.add({ name: 'ci', key: LIVE, tier: 'pro', rateLimitRpm: 600 });
  keys.add({ name: 'expiring', key: TEST, expiresAt: NOW + 1000 });
  return keys;
}

function rejection(keys: ApiKeyRing, authorization: string | undefined, now = NOW): GatewayError {
  try {
    keys.authenticate(authorization, now);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('the key was accepted');
}

describe('ApiKeyRing.add', () => {
  it('keeps only the hash and the settings of a key', () => {
    const keys = new ApiKeyRing();
    const record = keys.add({ name: 'ci', key: LIVE, tier: 'pro', rateLimitRpm: 600, expiresAt: NOW });
    expect(record).toEqual({ keyId: keyIdFromHash(hashApiKey(LIVE)), name: 'ci', tier: 'pro', rateLimitRpm: 600, tokensPerMinute: null, maxConcurrent: null, expiresAt: NOW, hash: hashApiKey(LIVE) });
    expect(JSON.stringify(record)).not.toContain(LIVE.slice(8));
    expect(keys.size).toBe(1);
  });

  it('uses null for settings that were not given', () => {
    expect(new ApiKeyRing().add({ name: 'x', key: TEST })).toMatchObject({ tier: null, rateLimitRpm: null, expiresAt: null });
  });

  it.each(['', 'sk-123', `ak_live_${'a'.repeat(31)}`, `ak_dev_${'a'.repeat(32)}`, ` ${LIVE}`])('rejects the malformed key %j, naming the key but not its value', (key) => {
    expect(() => new ApiKeyRing().add({ name: 'bad-one', key })).toThrow(/key 'bad-one' must be ak_live_ or ak_test_/);
  });

  it('counts distinct keys; the same key added again replaces its record', () => {
    const keys = ring();
    expect(keys.size).toBe(2);
    keys.add({ name: 'renamed', key: LIVE });
    expect(keys.size).toBe(2);
    expect(keys.authenticate(`Bearer ${LIVE}`, NOW).name).toBe('renamed');
  });
});

describe('ApiKeyRing.authenticate', () => {
  it.each([`Bearer ${LIVE}`, `bearer ${LIVE}`, `BEARER ${LIVE}`, `Bearer   ${LIVE}`, `Bearer ${LIVE}  `, `Bearer\t${LIVE}`])('accepts %j', (header) => {
    expect(ring().authenticate(header, NOW)).toMatchObject({ name: 'ci', tier: 'pro', rateLimitRpm: 600, keyId: keyIdFromHash(hashApiKey(LIVE)) });
  });

  it.each<[string, string | undefined, string, RegExp]>([
    ['a missing header', undefined, 'invalid_api_key', /Missing API key/],
    ['an empty header', '', 'invalid_api_key', /Missing API key/],
    ['a bare key without Bearer', LIVE, 'invalid_api_key', /Malformed/],
    ['Basic auth', `Basic ${Buffer.from('a:b').toString('base64')}`, 'invalid_api_key', /Malformed/],
    ['Bearer without a key', 'Bearer ', 'invalid_api_key', /Malformed/],
    ['Bearer with two tokens', `Bearer ${LIVE} ${LIVE}`, 'invalid_api_key', /Malformed/],
    ['a key of the wrong format', 'Bearer sk-proj-abcdef', 'invalid_api_key', /Malformed/],
    ['a key that is too short', `Bearer ak_live_${'a'.repeat(31)}`, 'invalid_api_key', /Malformed/],
    ['an unknown key', `Bearer ${UNKNOWN}`, 'invalid_api_key', /^Invalid API key\.$/],
    ['a known key with one character changed', `Bearer ${LIVE.slice(0, -1)}X`, 'invalid_api_key', /^Invalid API key\.$/],
    ['a live key sent as test', `Bearer ${LIVE.replace('ak_live_', 'ak_test_')}`, 'invalid_api_key', /^Invalid API key\.$/],
  ])('rejects %s with 401 %s', (_name, header, code, message) => {
    const error = rejection(ring(), header);
    expect(error).toMatchObject({ status: 401, code, type: 'authentication_error', retryable: false, param: null });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(LIVE.slice(8));
  });

  it('accepts a key until its expiry and rejects it from then on with expired_api_key', () => {
    const keys = ring();
    expect(keys.authenticate(`Bearer ${TEST}`, NOW + 999).name).toBe('expiring');
    expect(rejection(keys, `Bearer ${TEST}`, NOW + 1000)).toMatchObject({ status: 401, code: 'expired_api_key', type: 'authentication_error' });
    expect(rejection(keys, `Bearer ${TEST}`, NOW + 10_000_000).code).toBe('expired_api_key');
  });

  it('never expires a key without an expiry', () => {
    expect(ring().authenticate(`Bearer ${LIVE}`, Number.MAX_SAFE_INTEGER).name).toBe('ci');
  });

  it('rejects everything on an empty ring', () => {
    expect(rejection(new ApiKeyRing(), `Bearer ${LIVE}`).code).toBe('invalid_api_key');
  });
});
