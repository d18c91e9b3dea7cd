import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TEST_API_KEY, type Stack } from '../support/startStack.js';
import { bearer, chat, expectErrorEnvelope, http, USER_MESSAGE } from './support/http.js';

const EXPIRED_KEY = 'ak_live_' + 'Expired0'.repeat(5);
const FUTURE_KEY = 'ak_live_' + 'Future00'.repeat(5);
const UNKNOWN_KEY = 'ak_live_' + 'Unknown0'.repeat(5);
const PROVIDER_KEY = 'sk-provider-SECRET-0123456789abcdef';
const WRONG_PROVIDER_KEY = 'sk-wrong-SECRET-9876543210fedcba';

describe('authentication', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha', apiKey: PROVIDER_KEY }, { id: 'beta', apiKey: 'sk-beta-right-key' }],
      models: {
        'test-model': [{ profile: 'alpha', price: { input: 1, output: 2 } }],
        'bad-key-model': [{ profile: 'beta', price: { input: 1, output: 2 } }],
      },
      providerConfig: { beta: { api_key: WRONG_PROVIDER_KEY } },
      config: {
        keys: [
          { name: 'test', key: TEST_API_KEY, tier: 'gold', rate_limit_rpm: 600 },
          { name: 'old', key: EXPIRED_KEY, expires_at: '2020-01-01T00:00:00Z' },
          { name: 'later', key: FUTURE_KEY, expires_at: '2999-01-01T00:00:00+02:00' },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const body = { model: 'test-model', messages: USER_MESSAGE };
  const cases: [string, Record<string, string>, string][] = [
    ['no Authorization header', {}, 'invalid_api_key'],
    ['an empty header', { authorization: '' }, 'invalid_api_key'],
    ['Bearer junk', { authorization: 'Bearer junk' }, 'invalid_api_key'],
    ['Basic auth', { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }, 'invalid_api_key'],
    ['a key without Bearer', { authorization: TEST_API_KEY }, 'invalid_api_key'],
    ['a too-short key', { authorization: 'Bearer ak_live_short' }, 'invalid_api_key'],
    ['an unknown well-formed key', bearer(UNKNOWN_KEY), 'invalid_api_key'],
    ['an expired key', bearer(EXPIRED_KEY), 'expired_api_key'],
  ];

  it.each(cases)('refuses a chat request with %s (401)', async (_name, headers, code) => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers });
    const error = expectErrorEnvelope(result, 401, code);
    expect(error.type).toBe('authentication_error');
    expect(result.headers['x-error-type']).toBe('authentication_error');
  });

  it.each(cases)('refuses GET /v1/models and /v1/me with %s (401)', async (_name, headers, code) => {
    for (const path of ['/v1/models', '/v1/models/test-model', '/v1/me']) {
      const result = await http(stack.baseUrl, 'GET', path, { headers });
      expectErrorEnvelope(result, 401, code);
    }
  });

  it('never calls the provider for a refused request', async () => {
    stack.simulator.clearRequests();
    await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: bearer(UNKNOWN_KEY) });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it('accepts the key case-insensitively after "bearer" and with extra spaces', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: { authorization: `bearer   ${TEST_API_KEY}` } });
    expect(result.status, result.text).toBe(200);
  });

  it('accepts a key whose expiry is in the future', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(FUTURE_KEY) });
    expect(result.status).toBe(200);
    expect((result.json as { name: string }).name).toBe('later');
  });

  it('GET /v1/me returns the identity of the calling key, with no secret in it', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(TEST_API_KEY) });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    const me = result.json as Record<string, unknown>;
    expect(me).toMatchObject({ object: 'api_key_identity', name: 'test', tier: 'gold', rate_limit_rpm: 600 });
    expect(me.key_id).toMatch(/^key_[0-9a-f]+$/);
    expect('budget' in me).toBe(true);
    expect(result.text).not.toContain(TEST_API_KEY);
    const other = (await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(FUTURE_KEY) })).json as Record<string, unknown>;
    expect(other.key_id).not.toBe(me.key_id);
    expect(other.tier).toBeNull();
    expect(other.rate_limit_rpm).toBeNull();
  });

  it('sends the provider key upstream, never the caller key', async () => {
    stack.simulator.clearRequests();
    const result = await chat(stack, body);
    expect(result.status).toBe(200);
    const upstream = stack.simulator.requests[0];
    expect(upstream?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(JSON.stringify(upstream?.headers)).not.toContain(TEST_API_KEY);
    expect(upstream?.rawBody).not.toContain(TEST_API_KEY);
  });

  it('maps a provider 401 to 502 upstream_error without echoing any part of the provider key', async () => {
    const result = await chat(stack, { model: 'bad-key-model', messages: USER_MESSAGE });
    const error = expectErrorEnvelope(result, 502, 'upstream_error');
    expect(error.provider).toBe('beta');
    expect(result.headers['x-error-provider']).toBe('beta');
    expect(result.headers['x-error-retryable']).toBe('false');
    expect(result.text).not.toContain('SECRET');
    expect(result.text).not.toContain('sk-wrong');
    expect(result.text).not.toContain('fedcba');
  });

  it('keeps every API key and provider key out of the logs', async () => {
    // Exercise success, stream, failure and refusal paths first.
    await chat(stack, body);
    await chat(stack, { ...body, stream: true });
    await chat(stack, { model: 'bad-key-model', messages: USER_MESSAGE });
    await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: bearer(UNKNOWN_KEY) });
    await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: bearer(EXPIRED_KEY) });
    await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(FUTURE_KEY) });
    const raw = stack.rawLogs();
    expect(raw.length).toBeGreaterThan(0);
    for (const secret of [TEST_API_KEY, EXPIRED_KEY, FUTURE_KEY, UNKNOWN_KEY, PROVIDER_KEY, WRONG_PROVIDER_KEY, 'sk-beta-right-key']) {
      expect(raw, secret).not.toContain(secret);
    }
    expect(raw).not.toContain('SECRET');
  });
});
