import type OpenAI from 'openai';
import { APIError, InternalServerError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Behaviour } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, MESSAGES, OPENAI_PROTOCOL_TYPES, routingMetadataOf, type WireRoutingMetadata } from './conformanceSupport.js';

const CHEAP = { input: 1, output: 2 };
const PRICEY = { input: 5, output: 10 };

/** One request through the client, streamed or not; returns the content and the routing metadata it carried. */
async function complete(client: OpenAI, stream: boolean): Promise<{ content: string; metadata: WireRoutingMetadata | undefined }> {
  if (!stream) {
    const completion = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES });
    return { content: completion.choices[0]?.message.content ?? '', metadata: routingMetadataOf(completion) };
  }
  const chunks = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
  let content = '';
  let metadata: WireRoutingMetadata | undefined;
  for await (const chunk of chunks) {
    content += chunk.choices[0]?.delta.content ?? '';
    metadata = routingMetadataOf(chunk) ?? metadata;
  }
  return { content, metadata };
}

describe.each(OPENAI_PROTOCOL_TYPES)('fallback seen through the official client (%s provider)', (type) => {
  let stack: Stack;

  // A fresh stack per test, so breaker and Retry-After state from one test cannot steer the next.
  beforeEach(async () => {
    stack = await startStack({
      profiles: [{ id: 'cheap' }, { id: 'pricey' }],
      models: { 'test-model': [{ profile: 'cheap', price: CHEAP, type }, { profile: 'pricey', price: PRICEY, type }] },
      // Never explore: the cheaper offer is always tried first.
      overrides: { random: () => 0.5 },
    });
  });
  afterEach(async () => {
    await closeStack(stack);
  });

  const failuresBeforeTheFirstEvent: [string, Partial<Behaviour>, number, string][] = [
    ['a 503', { status: 503 }, 503, 'model_unavailable'],
    ['a reset before headers', { reset: 'before-headers' }, 502, 'upstream_error'],
  ];

  describe.each([false, true])('stream: %s', (stream) => {
    it.each(failuresBeforeTheFirstEvent)('falls back to the next offer after %s', async (_name, behaviour, status, code) => {
      stack.simulator.script({ match: { profile: 'cheap' }, behaviour });
      const { content, metadata } = await complete(clientFor(stack), stream);

      expect(content).toMatch(/^This is a simulated reply/);
      expect(metadata?.provider).toBe('pricey');
      expect(metadata?.attempts).toEqual([
        { provider: 'cheap', provider_model_id: 'sim-test-model', status, code },
        { provider: 'pricey', provider_model_id: 'sim-test-model', status: 200 },
      ]);
      expect(metadata?.warnings?.map((warning) => warning.code)).toContain('fallback_used');
      // Charged at the price of the offer that served: 17 × 5 + 12 × 10 micro-USD.
      expect(metadata?.cost?.usd).toBe(0.000205);
      expect(stack.simulator.requests.map((request) => request.profile)).toEqual(['cheap', 'pricey']);
    });
  });

  it.each([false, true])('reports the last upstream error when every offer fails (stream: %s)', async (stream) => {
    stack.simulator.script({ behaviour: { status: 503 } });
    const error = await complete(clientFor(stack), stream).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InternalServerError);
    const failure = error as InternalServerError;
    expect(failure.status).toBe(503);
    expect(failure.code).toBe('model_unavailable');
    expect(failure.type).toBe('api_error');
    expect((failure.error as { provider?: string }).provider).toBe('pricey');
    expect(failure.headers.get('x-error-provider')).toBe('pricey');
    expect(failure.headers.get('x-error-retryable')).toBe('true');
    expect(Number(failure.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(failure.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(stack.simulator.requests.map((request) => request.profile)).toEqual(['cheap', 'pricey']);
  });

  it('falls back when a non-streamed body is cut half-way (nothing reached the client yet)', async () => {
    stack.simulator.script({ match: { profile: 'cheap' }, behaviour: { stopAfterChunks: 1 } });
    const { metadata } = await complete(clientFor(stack), false);
    expect(metadata?.provider).toBe('pricey');
    expect(metadata?.attempts?.map((attempt) => attempt.provider)).toEqual(['cheap', 'pricey']);
  });

  it('does not fall back with allow_fallbacks: false', async () => {
    stack.simulator.script({ match: { profile: 'cheap' }, behaviour: { status: 503 } });
    const client = clientFor(stack);
    const error = await client.chat.completions
      .create({ model: 'test-model', messages: MESSAGES, gateway: { routing: { allow_fallbacks: false } } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).headers?.get('x-error-provider')).toBe('cheap');
    expect(stack.simulator.requests.map((request) => request.profile)).toEqual(['cheap']);
  });

  it.each<[string, Partial<Behaviour>]>([
    ['a connection cut', { headersFirst: true, ttftMs: 50, stopAfterChunks: 2 }],
    ['an upstream error event', { headersFirst: true, ttftMs: 50, streamErrorAt: 2 }],
  ])('does not retry elsewhere after the first byte (%s): the client sees the error', async (_name, behaviour) => {
    stack.simulator.script({ match: { profile: 'cheap' }, behaviour });
    const stream = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
    let content = '';
    let error: unknown;
    try {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).error).toMatchObject({ code: 'upstream_error', provider: 'cheap' });
    expect(content).toBe('This is');
    // One upstream request, the one that had started answering; the dearer offer was never asked.
    expect(stack.simulator.requests).toHaveLength(1);
    expect(stack.simulator.requests[0]).toMatchObject({ profile: 'cheap', status: 200 });
  });
});
