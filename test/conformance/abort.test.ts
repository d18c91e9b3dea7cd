import { APIUserAbortError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, eventually, MESSAGES, OPENAI_PROTOCOL_TYPES } from './conformanceSupport.js';

const SLOW_UPSTREAM = 'sim-slow@ttft=20,tps=50,tokens=200';

describe.each(OPENAI_PROTOCOL_TYPES)('client aborts with the official client (%s provider)', (type) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }],
      models: {
        // 200 tokens at 50 tokens/s: the upstream would need 4 s, so it is still mid-stream when the client leaves.
        slow: [{ profile: 'alpha', price: { input: 1, output: 2 }, type, upstreamModel: SLOW_UPSTREAM }],
        quick: [{ profile: 'alpha', price: { input: 1, output: 2 }, type }],
        // Answers only after 5 s: the client leaves before the first event (and before any header).
        sleepy: [{ profile: 'alpha', price: { input: 1, output: 2 }, type, upstreamModel: 'sim-sleepy@ttft=5000' }],
      },
    });
  });
  afterAll(async () => {
    await closeStack(stack);
  });

  it('an abort mid-stream aborts the upstream request, logs 499 and leaves the gateway healthy', async () => {
    const client = clientFor(stack);
    const controller = new AbortController();
    const stream = await client.chat.completions
      .create({ model: 'slow', messages: MESSAGES, stream: true }, { signal: controller.signal })
      .withResponse();
    const requestId = stream.response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();

    let contentChunks = 0;
    let finished = false;
    // The client ends iteration quietly when its own signal aborts it (after chunks it had already read).
    for await (const chunk of stream.data) {
      if (chunk.choices[0]?.delta.content) {
        contentChunks++;
        controller.abort();
      }
      if (chunk.choices[0]?.finish_reason) finished = true;
    }
    expect(contentChunks).toBeGreaterThanOrEqual(1);
    expect(contentChunks).toBeLessThan(200);
    expect(finished).toBe(false);

    const upstream = await stack.simulator.waitForRequest((request) => (request.body as { model?: unknown }).model === SLOW_UPSTREAM && request.aborted, 3000);
    expect(upstream.completed).toBe(false);
    expect(upstream.status).toBe(200);

    const line = await eventually(() => stack.logs.find((entry) => entry.requestId === requestId && entry.url === '/v1/chat/completions'));
    expect(line.status).toBe(499);
    expect(line.stream).toBe(true);
    expect(line.provider).toBe('alpha');

    // The gateway is still healthy, for the same offer and for another one.
    const next = await client.chat.completions.create({ model: 'quick', messages: MESSAGES });
    expect(next.choices[0]!.message.content).toMatch(/^This is a simulated reply/);
    const again = await client.chat.completions.create({ model: 'slow', messages: MESSAGES, max_completion_tokens: 3 });
    expect(again.choices[0]!.finish_reason).toBe('length');
  });

  it.each([false, true])('aborts the upstream request when the client leaves before the first event (stream: %s)', async (stream) => {
    const controller = new AbortController();
    const pending = clientFor(stack)
      .chat.completions.create({ model: 'sleepy', messages: MESSAGES, stream }, { signal: controller.signal })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    const sent = await stack.simulator.waitForRequest((request) => isSleepy(request.body, stream) && !request.aborted);
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);

    const upstream = await stack.simulator.waitForRequest((request) => request.id === sent.id && request.aborted, 3000);
    expect(upstream.status).toBeUndefined();
    const line = await eventually(() => stack.logs.find((entry) => entry.url === '/v1/chat/completions' && entry.model === 'sleepy' && entry.stream === stream));
    expect(line.status).toBe(499);
    // Leaving is the client's doing, not a gateway fault.
    expect(stack.logs.some((entry) => entry.msg === 'unhandled error')).toBe(false);
  });
});

function isSleepy(body: unknown, stream: boolean): boolean {
  const fields = body as { model?: unknown; stream?: unknown };
  return fields.model === 'sim-sleepy@ttft=5000' && (fields.stream === true) === stream;
}
