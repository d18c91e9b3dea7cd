import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectErrorEnvelope, http } from '../integration/support/http.js';
import { startStack, type Stack } from '../support/startStack.js';

const ADMIN_KEY = 'sy-admin-' + 'Budget'.repeat(6);
const ADMIN = bearer(ADMIN_KEY);

/** The seam to the limits: a budget set through the admin API is enforced from the next request on. */
describe('budgets set through the admin API reach the budget guard', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { admin_key: ADMIN_KEY } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const chat = (key: string) =>
    http(stack.baseUrl, 'POST', '/v1/chat/completions', { body: { model: 'test-model', messages: [{ role: 'user', content: 'Hello' }] }, headers: bearer(key) });

  it('a key already served (its budgets cached as none) is refused at once after a budget is put, and served again once it is deleted', async () => {
    const created = (await http(stack.baseUrl, 'POST', '/v1/admin/keys', { body: { name: 'spender' }, headers: ADMIN })).json as { id: string; key: string };
    expect((await chat(created.key)).status).toBe(200);
    const put = await http(stack.baseUrl, 'PUT', '/v1/admin/budgets', { body: { scope: 'key', key_id: created.id, period: 'daily', limit_usd: 0 }, headers: ADMIN });
    expect(put.status).toBe(201);
    const refused = await chat(created.key);
    expectErrorEnvelope(refused, 429, 'budget_exhausted');
    await http(stack.baseUrl, 'DELETE', `/v1/admin/budgets/${(put.json as { id: string }).id}`, { headers: ADMIN });
    expect((await chat(created.key)).status).toBe(200);
  });
});
