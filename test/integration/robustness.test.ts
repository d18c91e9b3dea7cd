import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { bearer, chat, expectErrorEnvelope, http, USER_MESSAGE } from './support/http.js';

const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const BASE = '"model":"test-model","messages":[{"role":"user","content":"hi"}]';

describe('hostile bodies', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const post = (rawBody: string) =>
    http(stack.baseUrl, 'POST', '/v1/chat/completions', { rawBody, headers: { ...bearer(stack.apiKey), 'content-type': 'application/json' } });

  it.each([
    ['tools[0].function.parameters', `{${BASE},"tools":[{"type":"function","function":{"name":"f","parameters":${nestedObject(5000)}}}]}`],
    ['extensions.openai', `{${BASE},"extensions":{"openai":{"x":${nestedObject(5000)}}}}`],
    ['response_format.json_schema.schema', `{${BASE},"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${nestedObject(5000)}}}}`],
    ['an unknown field on a message', `{"model":"test-model","messages":[{"role":"user","content":"hi","extra":${nestedArray(5000)}}]}`],
    ['web_search_options', `{${BASE},"web_search_options":${nestedObject(5000)}}`],
    ['an unknown top-level field', `{${BASE},"metadata":${nestedArray(50000)}}`],
  ])('deep nesting in %s is a 400, never a 500 or an upstream failure', async (_where, body) => {
    stack.simulator.clearRequests();
    const error = expectErrorEnvelope(await post(body), 400, 'invalid_request');
    expect(error.message).toMatch(/nested more than \d+ levels/);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it('those requests did not fence the provider off: ordinary requests still succeed', async () => {
    for (let i = 0; i < 3; i++) expect((await chat(stack, { model: 'test-model', messages: USER_MESSAGE })).status).toBe(200);
  });

  it('accepts reasonable nesting (a 40-level JSON schema)', async () => {
    const result = await post(`{${BASE},"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${nestedObject(40)}}}}`);
    expect(result.status, result.text).toBe(200);
  });

  it('rejects __proto__ and constructor.prototype keys with a 400 (prototype poisoning)', async () => {
    expectErrorEnvelope(await post(`{${BASE},"__proto__":{"polluted":1}}`), 400, 'invalid_request');
    expectErrorEnvelope(await post(`{${BASE},"constructor":{"prototype":{"polluted":1}}}`), 400, 'invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles __proto__ keys sent without a JSON content type, as plain data', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      rawBody: `{${BASE},"extensions":{"openai":{"__proto__":{"polluted":1}}},"__proto__":{"polluted":2}}`,
      headers: bearer(stack.apiKey),
    });
    expect([200, 400]).toContain(result.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes lone surrogates and other odd unicode through', async () => {
    const result = await post(`{"model":"test-model","messages":[{"role":"user","content":"\\ud800 \\udfff \\u0000 😀 \\u202e"}]}`);
    expect(result.status, result.text).toBe(200);
  });

  it('rejects non-finite and huge numbers with a 400 naming the field', async () => {
    for (const [field, value] of [['max_tokens', '1e400'], ['temperature', '-1e400'], ['seed', '1e308'], ['n', '1e20']] as const) {
      const error = expectErrorEnvelope(await post(`{${BASE},"${field}":${value}}`), 400, 'invalid_parameter_value');
      expect(error.param).toBe(field);
    }
  });

  it('answers a huge flat body within the limit without trouble', async () => {
    const result = await chat(stack, { model: 'test-model', messages: Array.from({ length: 5000 }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `m${i}` })) });
    expect(result.status, result.text).toBe(200);
  });
});
