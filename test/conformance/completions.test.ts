import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, expectedCostUsd, MESSAGES, OPENAI_PROTOCOL_TYPES, routingMetadataOf } from './conformanceSupport.js';

// Prices that are not whole micro-dollars per token, so rounding and the cache-read price both show.
const PRICE = { input: 0.4, output: 1.6, cache_read: 0.1 };

describe.each(OPENAI_PROTOCOL_TYPES)('chat.completions.create with the official client (%s provider)', (type) => {
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

  it('returns content, full usage and the upstream model id', async () => {
    stack.simulator.script({ behaviour: { cachedTokens: 8, reasoningTokens: 3 }, times: 1 });
    const completion = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('sim-test-model');
    expect(completion.choices).toHaveLength(1);
    const choice = completion.choices[0]!;
    expect(choice.index).toBe(0);
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe('This is a simulated reply from the Switchyard provider simulator, generated one');
    expect(completion.system_fingerprint).toBe('fp_sim');

    const usage = completion.usage!;
    // The simulator's prompt estimate: ceil(44 characters / 4) + 3 per message.
    expect(usage.prompt_tokens).toBe(17);
    expect(usage.completion_tokens).toBe(15);
    expect(usage.total_tokens).toBe(32);
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(8);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(3);
  });

  it('puts routing_metadata with the exact cost on the raw body', async () => {
    stack.simulator.script({ behaviour: { cachedTokens: 8, reasoningTokens: 3 }, times: 1 });
    const { data, response } = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES }).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);

    const metadata = routingMetadataOf(data)!;
    expect(metadata).toBeDefined();
    expect(metadata.provider).toBe('alpha');
    expect(metadata.provider_model_id).toBe('sim-test-model');
    expect(metadata.model_canonical).toBe('test-model');
    expect(metadata.routing_strategy).toBe('cost-focus');

    const usage = data.usage!;
    const cached = usage.prompt_tokens_details!.cached_tokens!;
    // 9 uncached × 0.4 + 8 cached × 0.1 + 15 completion × 1.6 = 28.4 micro-USD → 28.
    expect(metadata.cost?.usd).toBe(0.000028);
    expect(metadata.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, cached_tokens: cached }, PRICE));
    // 8 cached tokens × (0.4 − 0.1) = 2.4 micro-USD saved → 2.
    expect(metadata.cost?.cache_savings_usd).toBe(0.000002);

    expect(metadata.throughput_tps).toBeGreaterThan(0);
    expect(metadata.total_latency_ms).toBeGreaterThanOrEqual(0);
    expect(metadata.total_latency_ms).toBeLessThan(10_000);
    expect(metadata.ttft_ms).toBeUndefined();
    expect(metadata.attempts).toBeUndefined();
    expect(metadata.warnings).toBeUndefined();
  });

  it('omits cache savings and prices every prompt token at the input price without cache hits', async () => {
    const { data } = await clientFor(stack).chat.completions.create({ model: 'test-model', messages: MESSAGES }).withResponse();
    const metadata = routingMetadataOf(data)!;
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    // 17 × 0.4 + 12 × 1.6 = 26 micro-USD.
    expect(metadata.cost).toEqual({ usd: 0.000026 });
  });

  it('stream(...).finalChatCompletion() equals the non-streamed completion', async () => {
    const client = clientFor(stack);
    const created = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES });
    const runner = client.chat.completions.stream({ model: 'test-model', messages: MESSAGES });
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();

    const shape = (completion: typeof created) => ({
      model: completion.model,
      choices: completion.choices.map((choice) => ({
        index: choice.index,
        finish_reason: choice.finish_reason,
        content: choice.message.content,
        role: choice.message.role,
        tool_calls: choice.message.tool_calls ?? [],
      })),
      usage: completion.usage,
    });
    expect(shape(final)).toEqual(shape(created));
    expect(deltas.join('')).toBe(created.choices[0]!.message.content);
    expect(final.usage?.completion_tokens).toBe(12);
  });
});
