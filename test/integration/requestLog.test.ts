import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { bearer, chat, eventually, http, requestLines, USER_MESSAGE, type LogLine } from './support/http.js';
import { offersOn } from './support/stacks.js';

describe('one log line per request', () => {
  let stack: Stack;
  let keyId: string;
  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'beta' }],
      models: { solo: offersOn('alpha'), duo: offersOn('alpha', 'beta') },
    });
    keyId = ((await http(stack.baseUrl, 'GET', '/v1/me', { headers: bearer(stack.apiKey) })).json as { key_id: string }).key_id;
  });
  afterAll(async () => {
    await stack.close();
  });

  /** The request lines with this id, once the first one was written. */
  async function linesFor(requestId: string): Promise<LogLine[]> {
    await eventually(() => requestLines(stack).some((line) => line.requestId === requestId));
    // Give a duplicate a chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 30));
    return requestLines(stack).filter((line) => line.requestId === requestId);
  }

  it('a served chat request: key, canonical model, provider, status, latency and cost', async () => {
    await chat(stack, { model: 'solo', messages: USER_MESSAGE }, { 'x-request-id': 'log-ok' });
    const lines = await linesFor('log-ok');
    expect(lines).toHaveLength(1);
    const line = lines[0] as LogLine;
    expect(line).toMatchObject({ requestId: 'log-ok', keyId, model: 'solo', provider: 'alpha', status: 200, stream: false, attempts: 1, level: 30 });
    expect(line.keyId).toMatch(/^key_/);
    expect(line.latencyMs).toBeTypeOf('number');
    expect(line.costUsd).toBeTypeOf('number');
    expect(line.costUsd as number).toBeGreaterThan(0);
    expect(line.promptTokens as number).toBeGreaterThan(0);
    expect(line.completionTokens as number).toBeGreaterThan(0);
    expect(line).not.toHaveProperty('code');
  });

  it('a stream: one line, with ttft', async () => {
    await chat(stack, { model: 'solo', messages: USER_MESSAGE, stream: true }, { 'x-request-id': 'log-stream' });
    const lines = await linesFor('log-stream');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ keyId, model: 'solo', provider: 'alpha', status: 200, stream: true });
    expect(lines[0]?.ttftMs).toBeTypeOf('number');
    expect(lines[0]?.costUsd as number).toBeGreaterThan(0);
  });

  it('a fallback: one line, naming the provider that served and the attempts', async () => {
    stack.simulator.script({ behaviour: { status: 500 }, times: 1 });
    await chat(stack, { model: 'duo', messages: USER_MESSAGE }, { 'x-request-id': 'log-fallback' });
    const lines = await linesFor('log-fallback');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200, attempts: 2, model: 'duo' });
    expect(['alpha', 'beta']).toContain(lines[0]?.provider);
  });

  it('an upstream failure: one line with the error code and zero cost', async () => {
    stack.simulator.script({ behaviour: { status: 500 } });
    await chat(stack, { model: 'solo', messages: USER_MESSAGE }, { 'x-request-id': 'log-upstream-error' });
    stack.simulator.clearScripts();
    const lines = await linesFor('log-upstream-error');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ keyId, status: 502, code: 'upstream_error', costUsd: 0 });
  });

  it.each([
    ['an authentication error', { model: 'solo', messages: [] }, bearer('x'), 401, 'invalid_api_key'],
    ['an invalid body', { model: 'solo', messages: [] }, undefined, 400, 'invalid_parameter_value'],
    ['an unknown model', { model: 'nope', messages: USER_MESSAGE }, undefined, 404, 'model_not_found'],
  ])('%s: one line with status and code', async (name, body, headers, status, code) => {
    const id = `log-${name.replaceAll(' ', '-')}`;
    await chat(stack, body, { ...headers, 'x-request-id': id });
    const lines = await linesFor(id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status, code });
  });

  it('non-chat routes get a line too (404, 405, health)', async () => {
    await http(stack.baseUrl, 'GET', '/nowhere', { headers: { 'x-request-id': 'log-404' } });
    await http(stack.baseUrl, 'GET', '/v1/chat/completions', { headers: { 'x-request-id': 'log-405' } });
    await http(stack.baseUrl, 'GET', '/health', { headers: { 'x-request-id': 'log-health' } });
    expect(await linesFor('log-404')).toMatchObject([{ status: 404, code: 'resource_not_found' }]);
    expect(await linesFor('log-405')).toMatchObject([{ status: 405, code: 'method_not_allowed' }]);
    expect(await linesFor('log-health')).toMatchObject([{ status: 200, url: '/health' }]);
  });

  it('every request line is one JSON object with the core fields', () => {
    for (const line of requestLines(stack)) {
      expect(line.requestId).toBeTypeOf('string');
      expect(line.status).toBeTypeOf('number');
      expect(line.latencyMs).toBeTypeOf('number');
      expect(line.level).toBe(30);
    }
  });
});
