import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/startStack.js';
import { bearer, chat, eventually, expectErrorEnvelope, requestLines, USER_MESSAGE } from './support/http.js';
import { offersOn } from './support/stacks.js';
import { startStack } from '../support/startStack.js';

describe('timeouts, deadlines and client disconnects', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'beta' }],
      models: { solo: offersOn('alpha'), duo: offersOn('alpha', 'beta'), 'solo-b': offersOn('beta') },
      // beta waits at most 200 ms for response headers.
      providerConfig: { beta: { timeouts: { first_byte_ms: 200 } } },
    });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('a provider slower than timeouts.first_byte_ms → 504 upstream_timeout, without waiting for it', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 3000 } });
    const started = Date.now();
    const result = await chat(stack, { model: 'solo-b', messages: USER_MESSAGE });
    const error = expectErrorEnvelope(result, 504, 'upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(error.type).toBe('api_error');
    expect(error.provider).toBe('beta');
    expect(result.headers['x-error-retryable']).toBe('true');
  });

  it('the same for a stream whose first event comes too late', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 3000 } });
    const result = await chat(stack, { model: 'solo-b', messages: USER_MESSAGE, stream: true });
    expectErrorEnvelope(result, 504, 'upstream_timeout');
  });

  it('a timed-out offer falls back to another one', async () => {
    stack.simulator.script({ match: { profile: 'beta' }, behaviour: { ttftMs: 3000 } });
    stack.simulator.script({ match: { profile: 'alpha' }, behaviour: { status: 503 } });
    // Both fail, one of them by timing out: both are tried, and the error is the last one's.
    const result = await chat(stack, { model: 'duo', messages: USER_MESSAGE });
    expect(stack.simulator.requests.map((upstream) => upstream.profile).sort()).toEqual(['alpha', 'beta']);
    const last = stack.simulator.requests.at(-1)?.profile;
    if (last === 'beta') expectErrorEnvelope(result, 504, 'upstream_timeout');
    else expectErrorEnvelope(result, 503, 'model_unavailable');
  });

  it('gateway.routing.deadline_ms → 504 upstream_timeout naming the field, and the upstream request is aborted', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 3000 } });
    const started = Date.now();
    const result = await chat(stack, { model: 'solo', messages: USER_MESSAGE, gateway: { routing: { deadline_ms: 300 } } });
    const error = expectErrorEnvelope(result, 504, 'upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.param).toBe('gateway.routing.deadline_ms');
    await stack.simulator.waitForRequest((upstream) => upstream.aborted, 2000);
  });

  it('deadline_ms covers fallbacks as a whole', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 250, status: 500 } });
    const result = await chat(stack, { model: 'duo', messages: USER_MESSAGE, gateway: { routing: { deadline_ms: 400 } } });
    expectErrorEnvelope(result, 504, 'upstream_timeout');
    expect(stack.simulator.requests).toHaveLength(2);
  });

  it('deadline_ms also ends a stream that has not started', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 3000 } });
    const result = await chat(stack, { model: 'solo', messages: USER_MESSAGE, stream: true, gateway: { routing: { deadline_ms: 300 } } });
    expectErrorEnvelope(result, 504, 'upstream_timeout');
  });

  it.each([
    ['a non-streaming request', false],
    ['a stream that has not started', true],
  ])('a client that disconnects during %s aborts the upstream request, logged once as 499', async (_name, stream) => {
    stack.simulator.script({ behaviour: { ttftMs: 5000 } });
    const controller = new AbortController();
    const pending = request(`${stack.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(stack.apiKey), 'content-type': 'application/json', 'x-request-id': 'gone-early' },
      body: JSON.stringify({ model: 'solo', messages: USER_MESSAGE, stream }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await stack.simulator.waitForRequest(() => true, 2000);
    controller.abort();
    await pending;
    const upstream = await stack.simulator.waitForRequest((recorded) => recorded.aborted, 2000);
    expect(upstream.completed).toBe(false);

    await eventually(() => requestLines(stack).some((line) => line.requestId === 'gone-early'));
    const lines = requestLines(stack).filter((entry) => entry.requestId === 'gone-early');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.status).toBe(499);
    // A departed client is not a gateway bug.
    expect(stack.logs.some((entry) => entry.msg === 'unhandled error')).toBe(false);
  });

  it('a client that disconnects mid-stream aborts the upstream stream', async () => {
    stack.simulator.script({ behaviour: { tokensPerSecond: 10, completionTokens: 200 } });
    const controller = new AbortController();
    const response = await request(`${stack.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(stack.apiKey), 'content-type': 'application/json', 'x-request-id': 'gone-stream' },
      body: JSON.stringify({ model: 'solo', messages: USER_MESSAGE, stream: true }),
      signal: controller.signal,
    });
    expect(response.statusCode).toBe(200);
    for await (const chunk of response.body) {
      if (String(chunk).includes('"content"')) break;
    }
    controller.abort();
    const upstream = await stack.simulator.waitForRequest((recorded) => recorded.aborted, 3000);
    expect(upstream.completed).toBe(false);
    await eventually(() => requestLines(stack).some((line) => line.requestId === 'gone-stream'));
    expect(requestLines(stack).find((line) => line.requestId === 'gone-stream')?.status).toBe(499);
  });

  it('keeps serving after all that', async () => {
    const result = await chat(stack, { model: 'solo', messages: USER_MESSAGE });
    expect(result.status).toBe(200);
  });
});
