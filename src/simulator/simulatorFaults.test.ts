import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startSimulator, type Simulator } from './simulatorServer.js';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({});
});
afterAll(async () => {
  await simulator.close();
});

const hello = [{ role: 'user', content: 'Hello' }];

async function post(body: Record<string, unknown>, behaviour?: Record<string, unknown>) {
  return request(`${simulator.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(behaviour === undefined ? {} : { 'x-sim-behaviour': JSON.stringify(behaviour) }) },
    body: JSON.stringify({ model: 'sim-chat', messages: hello, ...body }),
  });
}

/** Reads a body until it ends or the connection breaks; returns the text and whether it broke. */
async function readUntilBreak(body: AsyncIterable<Buffer>): Promise<{ text: string; broken: boolean }> {
  let text = '';
  try {
    for await (const piece of body) text += piece.toString('utf8');
    return { text, broken: false };
  } catch {
    return { text, broken: true };
  }
}

describe('scripted HTTP errors', () => {
  it('sends status, retry-after headers and the OpenAI error body built from the behaviour', async () => {
    const response = await post({}, { status: 503, retryAfter: 2, retryAfterMs: 1500, errorMessage: 'Overloaded, try later.', errorCode: 'overloaded' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.headers['retry-after-ms']).toBe('1500');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await response.body.json()).toEqual({ error: { message: 'Overloaded, try later.', type: 'server_error', param: null, code: 'overloaded' } });
  });

  it('sends a raw errorBody as given (object as JSON, string verbatim)', async () => {
    const asObject = await post({}, { status: 400, errorBody: { error: { message: 'context too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } });
    expect(asObject.statusCode).toBe(400);
    expect((await asObject.body.json()) as unknown).toMatchObject({ error: { code: 'context_length_exceeded' } });
    const asString = await post({ stream: true }, { status: 502, errorBody: '<html>Bad gateway</html>' });
    expect(asString.statusCode).toBe(502);
    expect(asString.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(await asString.body.text()).toBe('<html>Bad gateway</html>');
  });

  it('waits ttftMs before the error', async () => {
    const started = Date.now();
    const response = await post({}, { status: 500, ttftMs: 150 });
    await response.body.dump();
    expect(response.statusCode).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
  });
});

describe('connection faults', () => {
  it('reset: before-headers destroys the socket without an answer', async () => {
    await expect(post({}, { reset: 'before-headers' })).rejects.toThrow();
    const recorded = await simulator.waitForRequest((entry) => entry.body !== undefined && (entry.headers['x-sim-behaviour'] ?? '').includes('reset'));
    expect(recorded).toMatchObject({ completed: false, aborted: false, status: undefined });
  });

  it('stopAfterChunks: N content chunks, then the socket is destroyed (no finish, usage or [DONE])', async () => {
    const response = await post({ stream: true, stream_options: { include_usage: true } }, { stopAfterChunks: 3 });
    expect(response.statusCode).toBe(200);
    const { text, broken } = await readUntilBreak(response.body);
    expect(broken).toBe(true);
    const events = text.split('\n\n').filter((event) => event !== '');
    expect(events).toHaveLength(1 + 3);
    expect(text).not.toContain('finish_reason":"stop"');
    expect(text).not.toContain('[DONE]');
  });

  it('stopAfterChunks on a non-stream sends part of the declared body, then destroys the socket', async () => {
    const response = await post({}, { stopAfterChunks: 1 });
    expect(response.statusCode).toBe(200);
    const { broken } = await readUntilBreak(response.body);
    expect(broken).toBe(true);
  });

  it('malformedChunkAt: the N-th content chunk is invalid JSON, the stream otherwise completes', async () => {
    const response = await post({ stream: true }, { malformedChunkAt: 2 });
    const text = await response.body.text();
    const payloads = text.slice(0, -2).split('\n\n').map((event) => event.slice('data: '.length));
    expect(() => JSON.parse(payloads[1]!)).not.toThrow();
    expect(() => JSON.parse(payloads[2]!)).toThrow();
    expect(payloads[2]!.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(() => JSON.parse(payloads[3]!)).not.toThrow();
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('malformedChunkAt on a non-stream sends a complete but invalid JSON body', async () => {
    const response = await post({}, { malformedChunkAt: 1 });
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('streamErrorAt: an OpenAI error event after N chunks, then a clean end without [DONE]', async () => {
    const response = await post({ stream: true }, { streamErrorAt: 1, errorMessage: 'Upstream fell over.' });
    const { text, broken } = await readUntilBreak(response.body);
    expect(broken).toBe(false);
    const events = text.slice(0, -2).split('\n\n');
    expect(events).toHaveLength(3);
    expect(events[2]).toBe('data: {"error":{"message":"Upstream fell over.","type":"server_error","param":null,"code":null}}');
    expect(text).not.toContain('[DONE]');
  });

  it('streamErrorAt: 0 sends the error right after the role chunk', async () => {
    const response = await post({ stream: true, model: 'sim-chat@stream_error_at=0' });
    const events = (await response.body.text()).slice(0, -2).split('\n\n');
    expect(events).toHaveLength(2);
    expect(events[1]).toContain('"error"');
  });
});

describe('client aborts', () => {
  it('records aborted: true when the client aborts mid-stream', async () => {
    simulator.clearRequests();
    const controller = new AbortController();
    const response = await fetch(`${simulator.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-sim-behaviour': JSON.stringify({ tokensPerSecond: 20, completionTokens: 200 }) },
      body: JSON.stringify({ model: 'slow-abort', messages: hello, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"');
    controller.abort();
    const recorded = await simulator.waitForRequest((entry) => entry.body !== undefined && (entry.body as { model: string }).model === 'slow-abort' && entry.aborted, 3000);
    expect(recorded.completed).toBe(false);
    expect(recorded.status).toBe(200);
  });

  it('records aborted: true when the client gives up while waiting for a non-stream answer', async () => {
    const controller = new AbortController();
    const pending = fetch(`${simulator.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'sim-chat@ttft=5000', messages: [{ role: 'user', content: 'wait-abort' }] }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await simulator.waitForRequest((entry) => entry.rawBody.includes('wait-abort'));
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    const recorded = await simulator.waitForRequest((entry) => entry.rawBody.includes('wait-abort') && entry.aborted, 3000);
    expect(recorded).toMatchObject({ aborted: true, completed: false, status: undefined });
  });

  it('waitForRequest rejects after its timeout', async () => {
    await expect(simulator.waitForRequest(() => false, 50)).rejects.toThrow(/no matching request/);
  });
});
