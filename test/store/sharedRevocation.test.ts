import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/configSchema.js';
import { bearer, expectErrorEnvelope, http } from '../integration/support/http.js';
import { startStack, type Stack } from '../support/startStack.js';
import { clearRedisPrefix, createPostgresSchema, REDIS_URL, uniqueRedisPrefix, uniqueSpillPath, type TestDatabase } from './support/testDatabases.js';

const ADMIN_KEY = 'sy-admin-' + 'Sh4red'.repeat(6);
const ADMIN = bearer(ADMIN_KEY);
const USER_MESSAGE = [{ role: 'user', content: 'Hi' }];

/** Two gateway instances in this process sharing one Postgres schema (and, when given, one Redis). */
async function twoInstances(config: Partial<ConfigInput>): Promise<[Stack, Stack]> {
  // One spill file for both, as two instances on one host with the same config would have.
  const shared = { ...config, ledger: { spill_path: uniqueSpillPath() } };
  return [await startStack({ config: shared }), await startStack({ config: shared })];
}

async function createKey(stack: Stack, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const result = await http(stack.baseUrl, 'POST', '/v1/admin/keys', { body, headers: ADMIN });
  expect(result.status, result.text).toBe(201);
  return result.json as { id: string; key: string };
}

const me = (stack: Stack, key: string) => http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(key) });
const chat = (stack: Stack, key: string) => http(stack.baseUrl, 'POST', '/v1/chat/completions', { body: { model: 'test-model', messages: USER_MESSAGE }, headers: bearer(key) });

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two instances sharing Postgres and Redis', () => {
  let database: TestDatabase;
  let prefix: string;
  let a: Stack;
  let b: Stack;

  beforeAll(async () => {
    database = await createPostgresSchema();
    prefix = uniqueRedisPrefix();
    // A long cache TTL: anything B learns within this test comes through Redis, not through expiry.
    [a, b] = await twoInstances({ store: database.store, redis: REDIS_URL, redis_key_prefix: prefix, admin_key: ADMIN_KEY, auth: { cache_ttl_ms: 600_000 } });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await clearRedisPrefix(prefix);
  });

  it('both subscribed to the change channels', () => {
    expect(a.gateway.store.events.live).toBe(true);
    expect(b.gateway.store.events.live).toBe(true);
  });

  it('a key created on one instance works on the other', async () => {
    const created = await createKey(a, { name: 'shared' });
    expect((await chat(b, created.key)).status).toBe(200);
    expect((await me(b, created.key)).json).toMatchObject({ key_id: created.id, name: 'shared' });
  });

  it('a revocation on one instance is refused at once on the other', async () => {
    const created = await createKey(a, { name: 'to-revoke' });
    expect((await chat(b, created.key)).status).toBe(200); // now cached on B
    const revoked = await http(a.baseUrl, 'POST', `/v1/admin/keys/${created.id}/revoke`, { headers: ADMIN });
    expect(revoked.status).toBe(200);
    // Pub/sub delivery: B hears within milliseconds (on a starved machine Redis may write B's message after A's reply), far below the 10-minute TTL.
    expectErrorEnvelope(await eventually(() => chat(b, created.key), (result) => result.status === 401, 1_000), 401, 'invalid_api_key');
    expectErrorEnvelope(await chat(a, created.key), 401, 'invalid_api_key');
  });

  it('a change of limits on one instance applies at once on the other', async () => {
    const created = await createKey(a, { name: 'limits', rate_limit_rpm: 10 });
    expect((await me(b, created.key)).json).toMatchObject({ rate_limit_rpm: 10 });
    await http(a.baseUrl, 'PATCH', `/v1/admin/keys/${created.id}`, { body: { rate_limit_rpm: 20 }, headers: ADMIN });
    const seen = await eventually(() => me(b, created.key), (result) => (result.json as { rate_limit_rpm?: unknown }).rate_limit_rpm === 20, 1_000);
    expect(seen.json).toMatchObject({ rate_limit_rpm: 20 });
  });

  it('a budget set on one instance reaches the other (GET /v1/me)', async () => {
    const created = await createKey(a, { name: 'budget' });
    expect(((await me(b, created.key)).json as { budget: unknown }).budget).toBeNull();
    const put = await http(a.baseUrl, 'PUT', '/v1/admin/budgets', { body: { scope: 'key', key_id: created.id, period: 'monthly', limit_usd: 12 }, headers: ADMIN });
    expect(put.status).toBe(201);
    const seen = await eventually(() => me(b, created.key), (result) => (result.json as { budget: unknown }).budget !== null);
    expect((seen.json as { budget: unknown }).budget).toEqual({ monthly: { limit_usd: 12, enforce: true, scope: 'key' } });
  });

  it('both instances write their usage to the one ledger', async () => {
    const created = await createKey(a, { name: 'ledger' });
    expect((await chat(a, created.key)).status).toBe(200);
    expect((await chat(b, created.key)).status).toBe(200);
    await Promise.all([a.gateway.store.ledger.flush(), b.gateway.store.ledger.flush()]);
    const usage = await http(a.baseUrl, 'GET', `/v1/admin/usage?key_id=${created.id}`, { headers: ADMIN });
    expect((usage.json as { totals: { requests: number } }).totals.requests).toBe(2);
  });
});

describe('two instances sharing Postgres without Redis', () => {
  const TTL_MS = 1_000;
  let database: TestDatabase;
  let a: Stack;
  let b: Stack;

  beforeAll(async () => {
    database = await createPostgresSchema();
    [a, b] = await twoInstances({ store: database.store, admin_key: ADMIN_KEY, auth: { cache_ttl_ms: TTL_MS } });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('a revocation on one instance is refused on the other once the cache TTL has passed', async () => {
    expect(b.gateway.store.events.live).toBe(false);
    const created = await createKey(a, { name: 'ttl' });
    expect((await chat(b, created.key)).status).toBe(200);
    const cachedAt = Date.now();
    await http(a.baseUrl, 'POST', `/v1/admin/keys/${created.id}/revoke`, { headers: ADMIN });
    expectErrorEnvelope(await chat(a, created.key), 401, 'invalid_api_key'); // at once where it was revoked
    if (Date.now() - cachedAt < TTL_MS / 2) expect((await chat(b, created.key)).status).toBe(200); // B still trusts its cache
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50 - (Date.now() - cachedAt)));
    expectErrorEnvelope(await chat(b, created.key), 401, 'invalid_api_key');
  });

  it('a budget set on one instance reaches the other by the periodic reload', async () => {
    const created = await createKey(a, { name: 'budget-ttl' });
    await http(a.baseUrl, 'PUT', '/v1/admin/budgets', { body: { scope: 'key', key_id: created.id, period: 'daily', limit_usd: 2 }, headers: ADMIN });
    const seen = await eventually(() => me(b, created.key), (result) => (result.json as { budget: unknown }).budget !== null, TTL_MS * 3);
    expect((seen.json as { budget: unknown }).budget).toEqual({ daily: { limit_usd: 2, enforce: true, scope: 'key' } });
  });
});
