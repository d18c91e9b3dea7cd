import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, expectedCostUsd, MESSAGES, OPENAI_PROTOCOL_TYPES, postRaw, routingMetadataOf, sseData } from './conformanceSupport.js';

const PRICE = { input: 0.4, output: 1.6, cache_read: 0.1 };
const REPLY = 'This is a simulated reply from the Switchyard provider simulator, generated one';

describe.each(OPENAI_PROTOCOL_TYPES)('streaming with the official client (%s provider)', (type) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ profiles: [{ id: 'alpha' }], models: { 'test-model': [{ profile: 'alpha', price: PRICE, type }] } });
  });
  afterAll(async () => {
    await closeStack(stack);
  });
  afterEach(() => {
    stack.simulator.clearScripts();
    stack.simulator.clearRequests();
  });

  it('delivers role, content deltas, one finish chunk and a closing usage chunk with routing_metadata', async () => {
    stack.simulator.script({ behaviour: { cachedTokens: 8, reasoningTokens: 3 }, times: 1 });
    const stream = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe(chunks[0]!.id);
      expect(chunk.model).toBe('sim-test-model');
    }
    expect(chunks[0]!.choices[0]?.delta.role).toBe('assistant');
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(REPLY);
    const finishing = chunks.filter((chunk) => chunk.choices.some((choice) => choice.finish_reason !== null));
    expect(finishing).toHaveLength(1);
    expect(finishing[0]!.choices[0]!.finish_reason).toBe('stop');

    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: 17,
      completion_tokens: 15,
      total_tokens: 32,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    // Only the closing chunk carries usage.
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null || chunk.usage === undefined)).toBe(true);

    const metadata = routingMetadataOf(last)!;
    expect(metadata).toMatchObject({ provider: 'alpha', provider_model_id: 'sim-test-model', model_canonical: 'test-model', routing_strategy: 'cost-focus' });
    expect(typeof metadata.ttft_ms).toBe('number');
    expect(metadata.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(metadata.ttft_ms).toBeLessThanOrEqual(metadata.total_latency_ms!);
    expect(metadata.total_latency_ms).toBeLessThan(10_000);
    expect(metadata.cost?.usd).toBe(0.000028);
    expect(metadata.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: 17, completion_tokens: 15, cached_tokens: 8 }, PRICE));
    expect(metadata.cost?.cache_savings_usd).toBe(0.000002);
    expect(chunks.slice(0, -1).every((chunk) => routingMetadataOf(chunk) === undefined)).toBe(true);
  });

  it('frames the raw stream as data events ending with [DONE]', async () => {
    const raw = await postRaw(stack, { model: 'test-model', messages: MESSAGES, stream: true });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(raw.headers['cache-control']).toBe('no-cache');

    const payloads = sseData(raw.text);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(payloads.filter((payload) => payload === '[DONE]')).toHaveLength(1);
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as Record<string, unknown>);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    const closing = chunks.at(-1)!;
    expect(closing.choices).toEqual([]);
    expect(closing.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 });
    expect(closing.routing_metadata).toMatchObject({ provider: 'alpha', model_canonical: 'test-model' });
  });

  it('asks the upstream for usage even when the client did not', async () => {
    const stream = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;

    const upstream = stack.simulator.requests.at(-1)!;
    expect(upstream.body).toMatchObject({ model: 'sim-test-model', stream: true, stream_options: { include_usage: true } });
    expect(usage?.completion_tokens).toBe(12);
  });

  it('treats include_usage: false as true (upstream and client)', async () => {
    const stream = await clientFor(stack).chat.completions.create({
      model: 'test-model',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: false },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;

    expect((stack.simulator.requests.at(-1)!.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
    expect(usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 12 });
  });

  it('streams a paced upstream chunk by chunk with the same content', async () => {
    stack.simulator.script({ behaviour: { ttftMs: 30, tokensPerSecond: 400 }, times: 1 });
    const stream = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
    const contentChunks: string[] = [];
    let metadata: ReturnType<typeof routingMetadataOf>;
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta.content;
      if (text) contentChunks.push(text);
      metadata = routingMetadataOf(chunk) ?? metadata;
    }
    expect(contentChunks.join('')).toBe(REPLY);
    // One token per upstream chunk: the gateway must not merge or buffer them into one.
    expect(contentChunks.length).toBeGreaterThan(1);
    // Sanity bound only: the first token cannot come before the upstream's 30 ms of "thinking".
    expect(metadata?.ttft_ms).toBeGreaterThanOrEqual(25);
  });
});
