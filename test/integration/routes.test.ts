import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { bearer, chat, expectErrorEnvelope, http, sseData, USER_MESSAGE } from './support/http.js';

const MAX_BODY_BYTES = 4096;

describe('routes, methods and the error envelope', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { limits: { max_body_bytes: MAX_BODY_BYTES } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers an unknown route with 404 resource_not_found in the envelope', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/nothing-here?x=1');
    const error = expectErrorEnvelope(result, 404, 'resource_not_found');
    expect(error.type).toBe('not_found_error');
    expect(error.param).toBeNull();
    expect(error.message).toContain('/v1/nothing-here');
    expect(error.message).not.toContain('x=1');
  });

  it('answers POST on an unknown route with 404 too', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v2/chat/completions', { body: { model: 'test-model', messages: USER_MESSAGE } });
    expectErrorEnvelope(result, 404, 'resource_not_found');
  });

  it.each([
    ['GET', '/v1/chat/completions', 'POST'],
    ['PUT', '/v1/chat/completions', 'POST'],
    ['DELETE', '/v1/models', 'GET, HEAD'],
    ['POST', '/v1/models', 'GET, HEAD'],
    ['PATCH', '/v1/models/test-model', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
    ['DELETE', '/metrics', 'GET, HEAD'],
  ])('answers %s %s with 405 method_not_allowed and Allow: %s', async (method, path, allow) => {
    const result = await http(stack.baseUrl, method, path);
    const error = expectErrorEnvelope(result, 405, 'method_not_allowed');
    expect(error.type).toBe('invalid_request_error');
    expect(result.headers.allow).toBe(allow);
  });

  it('answers a body over limits.max_body_bytes with 413 payload_too_large', async () => {
    const body = { model: 'test-model', messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES * 2) }] };
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: bearer(stack.apiKey) });
    const error = expectErrorEnvelope(result, 413, 'payload_too_large');
    expect(error.type).toBe('invalid_request_error');
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it('answers invalid JSON with 400 invalid_request', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      rawBody: '{"model": "test-model", "messages": [',
      headers: { ...bearer(stack.apiKey), 'content-type': 'application/json' },
    });
    const error = expectErrorEnvelope(result, 400, 'invalid_request');
    expect(error.type).toBe('invalid_request_error');
  });

  it('answers an empty JSON body with 400 invalid_request', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      rawBody: '',
      headers: { ...bearer(stack.apiKey), 'content-type': 'application/json' },
    });
    expectErrorEnvelope(result, 400, 'invalid_request');
  });

  it('answers a JSON body that is not an object with 400 invalid_request', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      rawBody: '[1,2,3]',
      headers: { ...bearer(stack.apiKey), 'content-type': 'application/json' },
    });
    expectErrorEnvelope(result, 400, 'invalid_request');
  });

  it('accepts a JSON body sent without a content type', async () => {
    const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
      rawBody: JSON.stringify({ model: 'test-model', messages: USER_MESSAGE }),
      headers: bearer(stack.apiKey),
    });
    expect(result.status, result.text).toBe(200);
    expect((result.json as { object: string }).object).toBe('chat.completion');
  });

  it('accepts a JSON body sent as text/plain or form-encoded (curl -d)', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const result = await http(stack.baseUrl, 'POST', '/v1/chat/completions', {
        rawBody: JSON.stringify({ model: 'test-model', messages: USER_MESSAGE }),
        headers: { ...bearer(stack.apiKey), 'content-type': contentType },
      });
      expect(result.status, `${contentType}: ${result.text}`).toBe(200);
    }
  });

  describe('x-request-id', () => {
    const valid = 'trace-1234_abc.DEF:9';

    it.each([
      ['success', () => chat(stack, { model: 'test-model', messages: USER_MESSAGE }, { 'x-request-id': valid })],
      ['error', () => chat(stack, { model: 'no-such-model', messages: USER_MESSAGE }, { 'x-request-id': valid })],
      ['404', () => http(stack.baseUrl, 'GET', '/nope', { headers: { 'x-request-id': valid } })],
      ['405', () => http(stack.baseUrl, 'GET', '/v1/chat/completions', { headers: { 'x-request-id': valid } })],
      ['401', () => http(stack.baseUrl, 'GET', '/v1/models', { headers: { 'x-request-id': valid } })],
      ['health', () => http(stack.baseUrl, 'GET', '/health', { headers: { 'x-request-id': valid } })],
      ['stream', () => chat(stack, { model: 'test-model', messages: USER_MESSAGE, stream: true }, { 'x-request-id': valid })],
    ])('echoes a valid incoming id on %s', async (_name, send) => {
      const result = await send();
      expect(result.headers['x-request-id']).toBe(valid);
    });

    it.each([
      ['spaces', 'has some spaces'],
      ['200 characters', 'a'.repeat(200)],
      ['quotes', 'id"with\'quotes'],
      ['a slash', 'id/with/slash'],
    ])('replaces an invalid incoming id (%s)', async (_name, incoming) => {
      for (const send of [
        () => chat(stack, { model: 'test-model', messages: USER_MESSAGE }, { 'x-request-id': incoming }),
        () => http(stack.baseUrl, 'GET', '/nope', { headers: { 'x-request-id': incoming } }),
      ]) {
        const id = (await send()).headers['x-request-id'];
        expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        expect(id).not.toBe(incoming);
      }
    });

    it('mints an id when none is sent, different for each request', async () => {
      const ids = new Set<string>();
      for (const send of [
        () => chat(stack, { model: 'test-model', messages: USER_MESSAGE }),
        () => chat(stack, { model: 'test-model', messages: USER_MESSAGE, stream: true }),
        () => http(stack.baseUrl, 'GET', '/nope'),
        () => http(stack.baseUrl, 'POST', '/v1/chat/completions', { rawBody: '{', headers: { 'content-type': 'application/json' } }),
      ]) {
        const id = (await send()).headers['x-request-id'];
        expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        ids.add(id as string);
      }
      expect(ids.size).toBe(4);
    });

    it('puts the same id in the log line of the request', async () => {
      await chat(stack, { model: 'test-model', messages: USER_MESSAGE }, { 'x-request-id': 'log-check-1' });
      const line = stack.logs.find((entry) => entry.msg === 'request' && entry.requestId === 'log-check-1');
      expect(line).toBeDefined();
    });
  });

  it('serves a stream with the SSE content type, the chunks, usage and [DONE]', async () => {
    const result = await chat(stack, { model: 'test-model', messages: USER_MESSAGE, stream: true });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/event-stream/);
    const data = sseData(result.text);
    expect(data.at(-1)).toBe('[DONE]');
    const last = JSON.parse(data.at(-2) as string) as { choices: unknown[]; usage: unknown; routing_metadata: { ttft_ms?: number } };
    expect(last.choices).toEqual([]);
    expect(last.usage).toBeDefined();
    expect(last.routing_metadata.ttft_ms).toBeTypeOf('number');
  });
});
