import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PATTERN, hashApiKey, keyIdFromHash } from '../../src/auth/apiKeyFormat.js';
import { bearer, expectErrorEnvelope, http, sseData, type HttpResult } from '../integration/support/http.js';
import { startStack, TEST_API_KEY, type Stack } from '../support/startStack.js';

const ADMIN_KEY = 'sy-admin-' + 'A1'.repeat(20);
const ADMIN = bearer(ADMIN_KEY);
const CONFIG_KEY_ID = keyIdFromHash(hashApiKey(TEST_API_KEY));
const USER_MESSAGE = [{ role: 'user', content: 'Hello there' }];

interface KeyObject {
  object: string;
  id: string;
  name: string;
  kind: string;
  source: string;
  status: string;
  created_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  rate_limit_rpm: number | null;
  tokens_per_minute: number | null;
  max_concurrent: number | null;
  tier: string | null;
  key?: string;
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    models: {
      'test-model': [{ profile: 'alpha', price: { input: 1, output: 2 } }],
      'other-model': [{ profile: 'alpha', price: { input: 3, output: 4 } }],
    },
    config: { admin_key: ADMIN_KEY },
  });
});

afterAll(async () => {
  await stack?.close();
});

const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN): Promise<HttpResult> =>
  http(stack.baseUrl, method, path, body === undefined ? { headers } : { body, headers });

async function createKey(body: Record<string, unknown> = { name: 'app' }): Promise<KeyObject & { key: string }> {
  const result = await admin('POST', '/v1/admin/keys', body);
  expect(result.status, result.text).toBe(201);
  return result.json as KeyObject & { key: string };
}

const chat = (key: string, body: Record<string, unknown> = { model: 'test-model', messages: USER_MESSAGE }) =>
  http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: bearer(key) });

describe('admin authentication', () => {
  it.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['an empty header', { authorization: '' }],
    ['a wrong admin key', bearer('sy-admin-wrong')],
    ['the admin key without Bearer', { authorization: ADMIN_KEY }],
    ['an unknown API key', bearer(`ak_live_${'U'.repeat(40)}`)],
  ])('refuses %s with 401 invalid_api_key', async (_name, headers) => {
    for (const [method, path] of [['GET', '/v1/admin/keys'], ['POST', '/v1/admin/keys'], ['GET', '/v1/admin/usage'], ['PUT', '/v1/admin/budgets'], ['DELETE', '/v1/admin/budgets/bud_x']]) {
      const result = await admin(method as string, path as string, method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' }, headers);
      const error = expectErrorEnvelope(result, 401, 'invalid_api_key');
      expect(error.type).toBe('authentication_error');
    }
  });

  it('refuses an ordinary API key (config or store) with 403 insufficient_permissions', async () => {
    const created = await createKey({ name: 'not-admin' });
    for (const key of [TEST_API_KEY, created.key]) {
      const error = expectErrorEnvelope(await admin('GET', '/v1/admin/keys', undefined, bearer(key)), 403, 'insufficient_permissions');
      expect(error.type).toBe('permission_error');
    }
  });

  it('answers 405 for a method an admin path does not serve', async () => {
    const result = await admin('PUT', '/v1/admin/keys', { name: 'x' });
    expectErrorEnvelope(result, 405, 'method_not_allowed');
    expect(result.headers.allow).toBe('GET, POST, HEAD');
    expectErrorEnvelope(await admin('GET', '/v1/admin/budgets/bud_x'), 405, 'method_not_allowed');
  });
});

describe('keys', () => {
  it('creates a key: 201 with the secret once, never again', async () => {
    const result = await admin('POST', '/v1/admin/keys', { name: 'ci', kind: 'test', rate_limit_rpm: 600, tokens_per_minute: 50_000, max_concurrent: 4, tier: 'gold' });
    expect(result.status).toBe(201);
    expect(result.headers['cache-control']).toBe('no-store');
    const created = result.json as KeyObject & { key: string };
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.key.startsWith('ak_test_')).toBe(true);
    expect(created).toMatchObject({
      object: 'api_key', id: keyIdFromHash(hashApiKey(created.key)), name: 'ci', kind: 'test', source: 'store', status: 'active',
      expires_at: null, revoked_at: null, rate_limit_rpm: 600, tokens_per_minute: 50_000, max_concurrent: 4, tier: 'gold',
    });
    expect(Date.parse(created.created_at ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const secret = created.key.slice('ak_test_'.length);
    const listed = await admin('GET', '/v1/admin/keys');
    const fetched = await admin('GET', `/v1/admin/keys/${created.id}`);
    for (const response of [listed, fetched]) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(secret);
    }
    expect((fetched.json as KeyObject).key).toBeUndefined();
    const listedKey = (listed.json as { object: string; data: KeyObject[] }).data.find((key) => key.id === created.id);
    expect(listedKey).toEqual({ ...created, key: undefined });
    expect(stack.rawLogs()).not.toContain(secret);
  });

  it('a new key works at once for chat and /v1/me, with its limits', async () => {
    const created = await createKey({ name: 'fresh', rate_limit_rpm: 42, tier: 'silver' });
    expect((await chat(created.key)).status).toBe(200);
    const me = await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(created.key) });
    expect(me.json).toEqual({ object: 'api_key_identity', key_id: created.id, name: 'fresh', tier: 'silver', rate_limit_rpm: 42, budget: null });
  });

  it('defaults to a live key without limits', async () => {
    const created = await createKey({ name: 'plain' });
    expect(created.key.startsWith('ak_live_')).toBe(true);
    expect(created).toMatchObject({ kind: 'live', rate_limit_rpm: null, tokens_per_minute: null, max_concurrent: null, tier: null, expires_at: null });
  });

  it('lists config keys as read-only entries next to store keys', async () => {
    const list = (await admin('GET', '/v1/admin/keys')).json as { data: KeyObject[] };
    expect(list.data[0]).toMatchObject({ id: CONFIG_KEY_ID, name: 'test', kind: 'test', source: 'config', created_at: null, status: 'active' });
    expect((await admin('GET', `/v1/admin/keys/${CONFIG_KEY_ID}`)).json).toMatchObject({ source: 'config' });
  });

  it.each<[string, Record<string, unknown> | unknown[], number, string, string | null]>([
    ['no name', {}, 400, 'missing_required_parameter', 'name'],
    ['a null name', { name: null }, 400, 'missing_required_parameter', 'name'],
    ['an empty name', { name: '  ' }, 400, 'invalid_parameter_value', 'name'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 400, 'invalid_parameter_value', 'name'],
    ['a numeric name', { name: 7 }, 400, 'invalid_parameter_value', 'name'],
    ['an unknown kind', { name: 'a', kind: 'prod' }, 400, 'invalid_parameter_value', 'kind'],
    ['an expiry in the past', { name: 'a', expires_at: '2020-01-01T00:00:00Z' }, 400, 'invalid_parameter_value', 'expires_at'],
    ['an expiry that is not a time', { name: 'a', expires_at: 'tomorrow' }, 400, 'invalid_parameter_value', 'expires_at'],
    ['an expiry without an offset', { name: 'a', expires_at: '2999-01-01T00:00:00' }, 400, 'invalid_parameter_value', 'expires_at'],
    ['rate_limit_rpm 0', { name: 'a', rate_limit_rpm: 0 }, 400, 'invalid_parameter_value', 'rate_limit_rpm'],
    ['rate_limit_rpm 1.5', { name: 'a', rate_limit_rpm: 1.5 }, 400, 'invalid_parameter_value', 'rate_limit_rpm'],
    ['rate_limit_rpm as a string', { name: 'a', rate_limit_rpm: '10' }, 400, 'invalid_parameter_value', 'rate_limit_rpm'],
    ['tokens_per_minute -1', { name: 'a', tokens_per_minute: -1 }, 400, 'invalid_parameter_value', 'tokens_per_minute'],
    ['max_concurrent true', { name: 'a', max_concurrent: true }, 400, 'invalid_parameter_value', 'max_concurrent'],
    ['an empty tier', { name: 'a', tier: '' }, 400, 'invalid_parameter_value', 'tier'],
    ['an unknown field', { name: 'a', rpm: 5 }, 400, 'invalid_request', 'rpm'],
    ['an array body', ['a'], 400, 'invalid_request', null],
  ])('refuses a create with %s', async (_name, body, status, code, param) => {
    const error = expectErrorEnvelope(await admin('POST', '/v1/admin/keys', body), status, code);
    expect(error.param).toBe(param);
  });

  it('refuses a body that is not JSON', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/admin/keys', { rawBody: '{name:', headers: { ...ADMIN, 'content-type': 'application/json' } });
    expectErrorEnvelope(result, 400, 'invalid_request');
  });

  it('GET of an unknown id is 404 resource_not_found', async () => {
    expectErrorEnvelope(await admin('GET', '/v1/admin/keys/key_0000000000000000'), 404, 'resource_not_found');
  });

  it('PATCH changes name, limits and expiry; null clears; the change applies to the next request', async () => {
    const created = await createKey({ name: 'patchable', rate_limit_rpm: 10, tier: 'gold' });
    expect((await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(created.key) })).json).toMatchObject({ rate_limit_rpm: 10 });
    const expiry = new Date(Date.now() + 86_400_000).toISOString();
    const patched = await admin('PATCH', `/v1/admin/keys/${created.id}`, { name: 'renamed', rate_limit_rpm: 99, tokens_per_minute: 1000, max_concurrent: 2, tier: null, expires_at: expiry });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ id: created.id, name: 'renamed', rate_limit_rpm: 99, tokens_per_minute: 1000, max_concurrent: 2, tier: null, expires_at: expiry });
    expect((patched.json as KeyObject).key).toBeUndefined();
    const me = (await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(created.key) })).json;
    expect(me).toMatchObject({ name: 'renamed', rate_limit_rpm: 99, tier: null });
    const cleared = await admin('PATCH', `/v1/admin/keys/${created.id}`, { rate_limit_rpm: null, expires_at: null });
    expect(cleared.json).toMatchObject({ name: 'renamed', rate_limit_rpm: null, expires_at: null, tokens_per_minute: 1000 });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a null name', { name: null }, 'invalid_parameter_value', 'name'],
    ['a kind (fixed at creation)', { kind: 'test' }, 'invalid_request', 'kind'],
    ['a bad limit', { max_concurrent: 0 }, 'invalid_parameter_value', 'max_concurrent'],
  ])('refuses a PATCH with %s', async (_name, body, code, param) => {
    const created = await createKey();
    expect(expectErrorEnvelope(await admin('PATCH', `/v1/admin/keys/${created.id}`, body), 400, code).param).toBe(param);
  });

  it('refuses to change or revoke a config key (409), and 404s an unknown key', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/v1/admin/keys/${CONFIG_KEY_ID}`, { name: 'x' }],
      ['POST', `/v1/admin/keys/${CONFIG_KEY_ID}/revoke`, undefined],
      ['DELETE', `/v1/admin/keys/${CONFIG_KEY_ID}`, undefined],
    ] as const) {
      const error = expectErrorEnvelope(await admin(method, path, body), 409, 'invalid_request');
      expect(error.message).toMatch(/config/);
    }
    expect((await chat(TEST_API_KEY)).status).toBe(200);
    expectErrorEnvelope(await admin('PATCH', '/v1/admin/keys/key_0000000000000000', { name: 'x' }), 404, 'resource_not_found');
    expectErrorEnvelope(await admin('POST', '/v1/admin/keys/key_0000000000000000/revoke'), 404, 'resource_not_found');
  });

  it('revokes a key: refused at once, revoking again keeps the first time, a revoked key cannot be patched', async () => {
    const created = await createKey({ name: 'doomed' });
    expect((await chat(created.key)).status).toBe(200);
    const revoked = await admin('POST', `/v1/admin/keys/${created.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: created.id, status: 'revoked' });
    const revokedAt = (revoked.json as KeyObject).revoked_at;
    expect(revokedAt).not.toBeNull();
    expectErrorEnvelope(await chat(created.key), 401, 'invalid_api_key');
    expectErrorEnvelope(await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(created.key) }), 401, 'invalid_api_key');
    expect(((await admin('POST', `/v1/admin/keys/${created.id}/revoke`)).json as KeyObject).revoked_at).toBe(revokedAt);
    expectErrorEnvelope(await admin('PATCH', `/v1/admin/keys/${created.id}`, { name: 'back' }), 409, 'invalid_request');
    // A revoked key is no admin either: 401, not 403.
    expectErrorEnvelope(await admin('GET', '/v1/admin/keys', undefined, bearer(created.key)), 401, 'invalid_api_key');
  });

  it('DELETE is an alias of revoke', async () => {
    const created = await createKey({ name: 'deleted' });
    const result = await admin('DELETE', `/v1/admin/keys/${created.id}`);
    expect(result.json).toMatchObject({ status: 'revoked' });
    expectErrorEnvelope(await chat(created.key), 401, 'invalid_api_key');
    expect(((await admin('GET', `/v1/admin/keys/${created.id}`)).json as KeyObject).status).toBe('revoked');
  });

  it('an expiring key works until its expiry, then 401 expired_api_key', async () => {
    const created = await createKey({ name: 'brief', expires_at: new Date(Date.now() + 1_500).toISOString() });
    expect((await chat(created.key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expectErrorEnvelope(await chat(created.key), 401, 'expired_api_key');
    expect(((await admin('GET', `/v1/admin/keys/${created.id}`)).json as KeyObject).status).toBe('expired');
  });
});

describe('budgets', () => {
  interface BudgetObject {
    object: string;
    id: string;
    scope: string;
    key_id: string | null;
    period: string;
    limit_usd: number;
    enforce: boolean;
  }

  it('PUT creates (201) then replaces (200) the budget of a key and period; /v1/me shows it', async () => {
    const created = await createKey({ name: 'budgeted' });
    const first = await admin('PUT', '/v1/admin/budgets', { scope: 'key', key_id: created.id, period: 'daily', limit_usd: 5.25, enforce: true });
    expect(first.status, first.text).toBe(201);
    const budget = first.json as BudgetObject;
    expect(budget).toMatchObject({ object: 'budget', scope: 'key', key_id: created.id, period: 'daily', limit_usd: 5.25, enforce: true });
    expect(budget.id).toMatch(/^bud_/);
    const second = await admin('PUT', '/v1/admin/budgets', { scope: 'key', key_id: created.id, period: 'daily', limit_usd: 0.000001, enforce: false });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: budget.id, limit_usd: 0.000001, enforce: false });
    const me = (await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(created.key) })).json as { budget: unknown };
    expect(me.budget).toEqual({ daily: { limit_usd: 0.000001, enforce: false, scope: 'key' } });
  });

  it('a global budget applies to every key (shown in /v1/me), listed and deleted by id', async () => {
    const put = await admin('PUT', '/v1/admin/budgets', { scope: 'global', period: 'monthly', limit_usd: 1000 });
    expect(put.status).toBe(201);
    const global = put.json as BudgetObject;
    expect(global).toMatchObject({ scope: 'global', key_id: null, enforce: true });
    const me = (await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(TEST_API_KEY) })).json as { budget: unknown };
    expect(me.budget).toEqual({ monthly: { limit_usd: 1000, enforce: true, scope: 'global' } });

    const all = (await admin('GET', '/v1/admin/budgets')).json as { object: string; data: BudgetObject[] };
    expect(all.object).toBe('list');
    expect(all.data.map((budget) => budget.id)).toContain(global.id);
    const deleted = await admin('DELETE', `/v1/admin/budgets/${global.id}`);
    expect(deleted.json).toEqual({ object: 'budget', id: global.id, deleted: true });
    expectErrorEnvelope(await admin('DELETE', `/v1/admin/budgets/${global.id}`), 404, 'resource_not_found');
    expect(((await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(TEST_API_KEY) })).json as { budget: unknown }).budget).toBeNull();
  });

  it('GET ?key_id= lists one key\'s budgets; config keys may have budgets too', async () => {
    const put = await admin('PUT', '/v1/admin/budgets', { scope: 'key', key_id: CONFIG_KEY_ID, period: 'weekly', limit_usd: 3 });
    expect(put.status).toBe(201);
    const list = (await admin('GET', `/v1/admin/budgets?key_id=${CONFIG_KEY_ID}`)).json as { data: BudgetObject[] };
    expect(list.data.map((budget) => [budget.key_id, budget.period, budget.limit_usd])).toEqual([[CONFIG_KEY_ID, 'weekly', 3]]);
    await admin('DELETE', `/v1/admin/budgets/${(put.json as BudgetObject).id}`);
  });

  it.each<[string, Record<string, unknown>, string, string | null]>([
    ['no scope', { period: 'daily', limit_usd: 1 }, 'missing_required_parameter', 'scope'],
    ['an unknown scope', { scope: 'team', period: 'daily', limit_usd: 1 }, 'invalid_parameter_value', 'scope'],
    ['a key scope without key_id', { scope: 'key', period: 'daily', limit_usd: 1 }, 'missing_required_parameter', 'key_id'],
    ['an unknown key_id', { scope: 'key', key_id: 'key_0000000000000000', period: 'daily', limit_usd: 1 }, 'invalid_parameter_value', 'key_id'],
    ['a global scope with a key_id', { scope: 'global', key_id: CONFIG_KEY_ID, period: 'daily', limit_usd: 1 }, 'invalid_parameter_value', 'key_id'],
    ['no period', { scope: 'global', limit_usd: 1 }, 'missing_required_parameter', 'period'],
    ['an hourly period', { scope: 'global', period: 'hourly', limit_usd: 1 }, 'invalid_parameter_value', 'period'],
    ['no limit', { scope: 'global', period: 'daily' }, 'missing_required_parameter', 'limit_usd'],
    ['a negative limit', { scope: 'global', period: 'daily', limit_usd: -1 }, 'invalid_parameter_value', 'limit_usd'],
    ['a string limit', { scope: 'global', period: 'daily', limit_usd: '5' }, 'invalid_parameter_value', 'limit_usd'],
    ['a non-boolean enforce', { scope: 'global', period: 'daily', limit_usd: 1, enforce: 'yes' }, 'invalid_parameter_value', 'enforce'],
    ['an unknown field', { scope: 'global', period: 'daily', limit_usd: 1, limit: 1 }, 'invalid_request', 'limit'],
  ])('refuses a PUT with %s', async (_name, body, code, param) => {
    expect(expectErrorEnvelope(await admin('PUT', '/v1/admin/budgets', body), 400, code).param).toBe(param);
  });
});

describe('usage', () => {
  interface UsageTotalsWire {
    requests: number;
    errors: number;
    tokens: { prompt: number; cached: number; cache_write: number; completion: number; reasoning: number; total: number };
    cost_usd: number;
    cost_micros: number;
  }
  interface UsageWire {
    object: string;
    group_by: string | null;
    totals: UsageTotalsWire;
    groups?: (UsageTotalsWire & Record<string, unknown>)[];
  }

  let usageKey: KeyObject & { key: string };

  beforeAll(async () => {
    usageKey = await createKey({ name: 'usage-key' });
    for (let i = 0; i < 3; i++) expect((await chat(usageKey.key)).status).toBe(200);
    expect((await chat(usageKey.key, { model: 'other-model', messages: USER_MESSAGE })).status).toBe(200);
    const streamed = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      body: { model: 'test-model', stream: true, messages: USER_MESSAGE, gateway: { metadata: { trace: 't-1' } } },
      headers: bearer(usageKey.key),
    });
    expect(sseData(streamed.text).at(-1)).toBe('[DONE]');
    expect((await chat(usageKey.key, { model: 'no-such-model', messages: USER_MESSAGE })).status).toBe(404);
    await stack.gateway.store.ledger.flush();
  });

  it('writes one ledger row per chat request with every field, stream and metadata included', async () => {
    const records = await stack.gateway.store.store.listUsage({ keyId: usageKey.id });
    expect(records).toHaveLength(6);
    const streamed = records.find((record) => record.stream);
    expect(streamed).toMatchObject({ keyId: usageKey.id, modelCanonical: 'test-model', provider: 'alpha', providerModel: 'sim-test-model', status: 200, errorCode: null, attempts: 1, metadata: { trace: 't-1' } });
    expect(streamed?.ttftMs).toBeTypeOf('number');
    expect(streamed?.promptTokens).toBeGreaterThan(0);
    expect(streamed?.costMicros).toBeGreaterThan(0);
    const failed = records.find((record) => record.status === 404);
    expect(failed).toMatchObject({ errorCode: 'model_not_found', costMicros: 0, provider: null });
  });

  it('totals requests, tokens by kind, cost and errors for a key', async () => {
    const result = await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}`);
    expect(result.status, result.text).toBe(200);
    const usage = result.json as UsageWire;
    const records = await stack.gateway.store.store.listUsage({ keyId: usageKey.id });
    const cost = records.reduce((sum, record) => sum + record.costMicros, 0);
    expect(usage).toMatchObject({ object: 'usage', key_id: usageKey.id, group_by: null, from: null, to: null });
    expect(usage.totals.requests).toBe(6);
    expect(usage.totals.errors).toBe(1);
    expect(usage.totals.cost_micros).toBe(cost);
    expect(usage.totals.cost_usd).toBe(cost / 1_000_000);
    expect(usage.totals.tokens.prompt).toBe(records.reduce((sum, record) => sum + record.promptTokens, 0));
    expect(usage.totals.tokens.total).toBe(usage.totals.tokens.prompt + usage.totals.tokens.completion);
    expect(Object.keys(usage.totals.tokens)).toEqual(['prompt', 'cached', 'cache_write', 'completion', 'reasoning', 'total']);
    expect(usage.groups).toBeUndefined();
  });

  it.each([
    ['model', 'model', [['other-model', 1], ['test-model', 4], [null, 1]]],
    ['provider', 'provider', [['alpha', 5], [null, 1]]],
  ] as const)('groups by %s', async (groupBy, field, expected) => {
    const usage = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&group_by=${groupBy}`)).json as UsageWire;
    expect(usage.group_by).toBe(groupBy);
    expect(usage.groups?.map((group) => [group[field], group.requests])).toEqual(expected);
    expect(usage.groups?.reduce((sum, group) => sum + group.cost_micros, 0)).toBe(usage.totals.cost_micros);
  });

  it('groups by key with the key names, and by UTC day', async () => {
    const byKey = (await admin('GET', '/v1/admin/usage?group_by=key')).json as UsageWire;
    const row = byKey.groups?.find((group) => group.key_id === usageKey.id);
    expect(row).toMatchObject({ key_id: usageKey.id, name: 'usage-key', requests: 6 });
    const byDay = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&group_by=day`)).json as UsageWire;
    expect(byDay.groups?.map((group) => group.day)).toEqual([new Date().toISOString().slice(0, 10)]);
  });

  it('filters by model, provider and a [from, to) window', async () => {
    const model = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&model=other-model`)).json as UsageWire;
    expect(model.totals.requests).toBe(1);
    const provider = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&provider=alpha`)).json as UsageWire;
    expect(provider.totals.requests).toBe(5);
    const future = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&from=2999-01-01`)).json as UsageWire;
    expect(future.totals.requests).toBe(0);
    const window = (await admin('GET', `/v1/admin/usage?key_id=${usageKey.id}&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B02:00`)).json as UsageWire & { from: string; to: string };
    expect(window.totals.requests).toBe(6);
    expect(window.from).toBe('2000-01-01T00:00:00.000Z');
    expect(window.to).toBe('2998-12-31T22:00:00.000Z');
  });

  it.each<[string, string]>([
    ['group_by=week', 'group_by'],
    ['from=yesterday', 'from'],
    ['to=2026-13-45', 'to'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['model=a&model=b', 'model'],
    ['key=abc', 'key'],
  ])('refuses ?%s naming the parameter', async (query, param) => {
    expect(expectErrorEnvelope(await admin('GET', `/v1/admin/usage?${query}`), 400, 'invalid_parameter_value').param).toBe(param);
  });
});

describe('/ready and the store', () => {
  it('is 200 with the store reachable and 503 when it is not', async () => {
    const ready = await http(stack.baseUrl, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', checks: { store: 'reachable' } });
    const store = stack.gateway.store.store;
    await store.close();
    try {
      const notReady = await http(stack.baseUrl, 'GET', '/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.json).toMatchObject({ status: 'not_ready', checks: { store: expect.stringMatching(/^unreachable/) } });
    } finally {
      await store.open();
    }
  });
});

describe('an admin API without admin_key', () => {
  let bare: Stack;
  beforeAll(async () => {
    bare = await startStack();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('answers 403 saying that no admin key is configured, whatever is sent', async () => {
    for (const headers of [{}, bearer('anything'), bearer(TEST_API_KEY)]) {
      const error = expectErrorEnvelope(await http(bare.baseUrl, 'GET', '/v1/admin/keys', { headers }), 403, 'insufficient_permissions');
      expect(error.message).toMatch(/admin_key/);
    }
  });
});
