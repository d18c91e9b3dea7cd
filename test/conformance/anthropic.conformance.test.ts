import type OpenAI from 'openai';
import { APIError, RateLimitError } from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack, type StackOfferSpec } from '../support/startStack.js';
import { clientFor, MESSAGES, routingMetadataOf, TIME_TOOL, WEATHER_TOOL } from './conformanceSupport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into the upstream body the simulator recorded
type Json = Record<string, any>;
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;

const KEY = 'sk-ant-conformance-0123456789';
const PRICE = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 };
const TOOLS = [WEATHER_TOOL, TIME_TOOL];

function offer(upstreamModel: string, profile = 'claude'): StackOfferSpec {
  return { profile, type: 'anthropic', upstreamModel, price: PRICE };
}

/** Models served by an `anthropic` provider on the simulator: a budget-thinking model, an adaptive one, one without structured outputs. */
const MODELS = {
  'claude-sonnet-4-5': [offer('claude-sonnet-4-5-20250929')],
  'claude-opus-4-6': [offer('claude-opus-4-6')],
  'claude-3-5-haiku': [offer('claude-3-5-haiku-20241022')],
};

function lastUpstream(stack: Stack): RecordedRequest {
  const recorded = stack.simulator.requests.at(-1);
  if (recorded === undefined) throw new Error('nothing reached the simulator');
  return recorded;
}

function upstreamBody(stack: Stack): Json {
  return lastUpstream(stack).body as Json;
}

function functionCalls(message: OpenAI.Chat.ChatCompletionMessage): FunctionCall[] {
  return (message.tool_calls ?? []) as FunctionCall[];
}

/** Extra message fields the client's types do not know. */
function thinkingBlocksOf(message: object): Json[] | undefined {
  return (message as { thinking_blocks?: Json[] }).thinking_blocks;
}

function reasoningOf(message: object): string | undefined {
  return (message as { reasoning_content?: string }).reasoning_content;
}

/** The cost contract §5.2 asks for: uncached input, cache reads, cache writes and output at their prices, in integer micro-USD. */
function expectedCostUsd(usage: { prompt: number; cached: number; written: number; completion: number }): number {
  const micro = (usd: number) => Math.round(usd * 1_000_000);
  const uncached = usage.prompt - usage.cached - usage.written;
  const scaled = uncached * micro(PRICE.input) + usage.cached * micro(PRICE.cache_read) + usage.written * micro(PRICE.cache_write) + usage.completion * micro(PRICE.output);
  return Math.round(scaled / 1_000_000) / 1_000_000;
}

async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('anthropic provider with the official openai client', () => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({ profiles: [{ id: 'claude', apiKey: KEY }], models: MODELS });
    client = clientFor(stack);
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(() => {
    stack.simulator.clearScripts();
    stack.simulator.clearRequests();
  });

  describe('text', () => {
    it('answers plain text and sends a native Messages request with the key and version', async () => {
      const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }] });
      const choice = completion.choices[0]!;
      expect(choice.finish_reason).toBe('stop');
      expect(choice.message.content).toBe('This is a simulated reply from the Switchyard provider simulator, generated one');
      expect(completion.id).toMatch(/^msg_01/);
      expect(completion.model).toBe('claude-sonnet-4-5-20250929');
      expect(routingMetadataOf(completion)).toMatchObject({ provider: 'claude', provider_model_id: 'claude-sonnet-4-5-20250929', model_canonical: 'claude-sonnet-4-5' });

      const upstream = lastUpstream(stack);
      expect(upstream.path).toBe('/p/claude/v1/messages');
      expect(upstream.headers).toMatchObject({ 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
      expect(upstream.headers).not.toHaveProperty('authorization');
      expect(upstream.headers).not.toHaveProperty('anthropic-beta');
      expect(upstream.body).toEqual({ model: 'claude-sonnet-4-5-20250929', max_tokens: 16_384, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }] });
    });

    it('hoists the system prompt', async () => {
      await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, max_completion_tokens: 200 });
      expect(upstreamBody(stack)).toMatchObject({
        max_tokens: 200,
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris today?' }] }],
      });
    });

    it('streams text with a role chunk, deltas, a finish chunk and a usage chunk, equal to the non-streamed answer', async () => {
      const created = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES });
      const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, stream: true });
      let content = '';
      let role: string | undefined;
      const finishes: string[] = [];
      let usage: OpenAI.CompletionUsage | undefined | null;
      let metadata: ReturnType<typeof routingMetadataOf>;
      for await (const chunk of stream) {
        role ??= chunk.choices[0]?.delta.role;
        content += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
        if (chunk.usage) usage = chunk.usage;
        metadata = routingMetadataOf(chunk) ?? metadata;
      }
      expect(role).toBe('assistant');
      expect(content).toBe(created.choices[0]!.message.content);
      expect(finishes).toEqual(['stop']);
      expect(usage).toEqual(created.usage);
      expect(metadata?.ttft_ms).toEqual(expect.any(Number));
      expect(upstreamBody(stack).stream).toBe(true);
    });

    it('finalChatCompletion() equals the non-streamed result', async () => {
      const created = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES });
      const final = await client.chat.completions.stream({ model: 'claude-sonnet-4-5', messages: MESSAGES }).finalChatCompletion();
      expect(final.choices[0]!.message.content).toBe(created.choices[0]!.message.content);
      expect(final.choices[0]!.finish_reason).toBe(created.choices[0]!.finish_reason);
      expect(final.usage).toEqual(created.usage);
      expect(final.model).toBe(created.model);
    });

    it('sends images by data URL and by URL', async () => {
      await client.chat.completions.create({
        model: 'claude-sonnet-4-5',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      });
      expect(upstreamBody(stack).messages[0].content).toEqual([
        { type: 'text', text: 'What is in these?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ]);
    });
  });

  describe('tools', () => {
    it('returns parallel tool calls with toolu_ ids and JSON arguments', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
      const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS });
      const choice = completion.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      const calls = functionCalls(choice.message);
      expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
      for (const call of calls) expect(call.id).toMatch(/^toolu_01/);
      expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
      expect(upstreamBody(stack).tools).toEqual([
        { name: 'get_weather', description: 'Current weather for a city.', input_schema: WEATHER_TOOL.function.parameters },
        { name: 'get_time', input_schema: TIME_TOOL.function.parameters },
      ]);
    });

    it('asks for one call at a time with parallel_tool_calls: false and forces tool_choice', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
      const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_time' } }, parallel_tool_calls: false });
      expect(functionCalls(completion.choices[0]!.message).map((call) => call.function.name)).toEqual(['get_time']);
      expect(upstreamBody(stack).tool_choice).toEqual({ type: 'tool', name: 'get_time', disable_parallel_tool_use: true });
    });

    it('streams parallel tool calls with index, id and name on the first fragment, and finalChatCompletion() rebuilds them', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 2 });
      const created = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS });
      const runner = client.chat.completions.stream({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS });
      const firsts: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
      runner.on('chunk', (chunk) => {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) if (call.id !== undefined) firsts.push(call);
      });
      const final = await runner.finalChatCompletion();
      expect(firsts.map((call) => [call.index, call.type, call.function?.name])).toEqual([
        [0, 'function', 'get_weather'],
        [1, 'function', 'get_time'],
      ]);
      const shape = (calls: FunctionCall[]) => calls.map((call) => ({ name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }));
      expect(shape(functionCalls(final.choices[0]!.message))).toEqual(shape(functionCalls(created.choices[0]!.message)));
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(final.usage).toEqual(created.usage);
    });

    it('sends a tool-result turn as one user turn with the tool_result blocks first', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
      const first = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS });
      const calls = functionCalls(first.choices[0]!.message);
      const second = await client.chat.completions.create({
        model: 'claude-sonnet-4-5',
        tools: TOOLS,
        messages: [
          ...MESSAGES,
          first.choices[0]!.message,
          { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temperature":21}' },
          { role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' },
          { role: 'user', content: 'And tomorrow?' },
        ],
      });
      expect(second.choices[0]!.finish_reason).toBe('tool_calls');
      const messages = upstreamBody(stack).messages as Json[];
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
      expect(messages[1]!.content).toEqual(calls.map((call) => ({ type: 'tool_use', id: call.id, name: call.function.name, input: JSON.parse(call.function.arguments) })));
      expect(messages[2]!.content).toEqual([
        { type: 'tool_result', tool_use_id: calls[0]!.id, content: '{"temperature":21}' },
        { type: 'tool_result', tool_use_id: calls[1]!.id, content: '14:05' },
        { type: 'text', text: 'And tomorrow?' },
      ]);
    });
  });

  describe('JSON output', () => {
    const SCHEMA = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'], additionalProperties: false };
    const FORMAT = { type: 'json_schema', json_schema: { name: 'forecast', schema: SCHEMA, strict: true } } as const;

    it('uses output_config.format on a model with structured outputs', async () => {
      const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, response_format: FORMAT });
      expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ city: 'Paris', days: 1 });
      expect(upstreamBody(stack).output_config).toEqual({ format: { type: 'json_schema', schema: SCHEMA } });
    });

    it.each([false, true])('emulates JSON with a forced tool on an older model and answers plain JSON content (stream: %s)', async (stream) => {
      let content: string | null;
      let finish: string | null;
      if (stream) {
        const final = await client.chat.completions.stream({ model: 'claude-3-5-haiku', messages: MESSAGES, response_format: FORMAT }).finalChatCompletion();
        content = final.choices[0]!.message.content;
        finish = final.choices[0]!.finish_reason;
        expect(final.choices[0]!.message.tool_calls ?? []).toEqual([]);
      } else {
        const completion = await client.chat.completions.create({ model: 'claude-3-5-haiku', messages: MESSAGES, response_format: FORMAT });
        content = completion.choices[0]!.message.content;
        finish = completion.choices[0]!.finish_reason;
        expect(completion.choices[0]!.message.tool_calls ?? []).toEqual([]);
      }
      expect(finish).toBe('stop');
      expect(JSON.parse(content!)).toEqual({ city: 'Paris', days: 1 });
      expect(upstreamBody(stack)).toMatchObject({ tools: [{ name: 'json_response', input_schema: SCHEMA }], tool_choice: { type: 'tool', name: 'json_response' } });
    });
  });

  describe('reasoning', () => {
    it.each<[string, number, number]>([
      ['low', 1024, 16_384],
      ['medium', 2048, 16_384],
      ['high', 4096, 16_384],
      ['xhigh', 16_384, 20_480],
      ['max', 31_999, 36_095],
    ])('budget model: reasoning_effort %s → thinking budget %i (max_tokens %i)', async (effort, budget, maxTokens) => {
      const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, reasoning_effort: effort as OpenAI.ReasoningEffort });
      expect(upstreamBody(stack)).toMatchObject({ max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budget } });
      expect(upstreamBody(stack)).not.toHaveProperty('output_config');
      const message = completion.choices[0]!.message;
      expect(reasoningOf(message)).toMatch(/^Let me think/);
      expect(thinkingBlocksOf(message)).toEqual([{ type: 'thinking', thinking: reasoningOf(message), signature: expect.any(String) }]);
      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(16);
    });

    it.each<[string, string, boolean]>([
      ['low', 'low', false],
      ['medium', 'medium', false],
      ['high', 'high', false],
      ['xhigh', 'max', true],
      ['max', 'max', false],
    ])('adaptive model: reasoning_effort %s → adaptive thinking, effort %s', async (effort, sent, warned) => {
      const completion = await client.chat.completions.create({ model: 'claude-opus-4-6', messages: MESSAGES, reasoning_effort: effort as OpenAI.ReasoningEffort });
      expect(upstreamBody(stack)).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: sent } });
      const warnings = routingMetadataOf(completion)?.warnings ?? [];
      expect(warnings.some((warning) => warning.param === 'reasoning_effort')).toBe(warned);
    });

    it("reasoning_effort 'none' turns thinking off explicitly on an adaptive model", async () => {
      const completion = await client.chat.completions.create({ model: 'claude-opus-4-6', messages: MESSAGES, reasoning_effort: 'none' });
      expect(upstreamBody(stack).thinking).toEqual({ type: 'disabled' });
      expect(reasoningOf(completion.choices[0]!.message)).toBeUndefined();
    });

    it('keeps signed thinking blocks across a two-turn tool conversation (non-streamed)', async () => {
      const first = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS, reasoning_effort: 'low' });
      const message = first.choices[0]!.message;
      const blocks = thinkingBlocksOf(message)!;
      expect(blocks).toHaveLength(1);
      const call = functionCalls(message)[0]!;
      const second = await client.chat.completions.create({
        model: 'claude-sonnet-4-5',
        tools: TOOLS,
        reasoning_effort: 'low',
        messages: [...MESSAGES, message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' }],
      });
      // The simulator checks signatures like Anthropic: a changed block would be a 400.
      expect(second.choices[0]!.finish_reason).toBe('stop');
      const upstream = lastUpstream(stack);
      const assistant = (upstream.body as Json).messages[1] as Json;
      expect(assistant.content[0]).toEqual(blocks[0]);
      expect(upstream.rawBody).toContain(`"content":[${JSON.stringify(blocks[0])},{"type":"tool_use"`);
    });

    it('keeps signed thinking blocks across a two-turn tool conversation (streamed, reasoning accumulated by the client)', async () => {
      const runner = client.chat.completions.stream({ model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS, reasoning_effort: 'low' });
      let reasoning = '';
      const extras: Json[] = [];
      runner.on('chunk', (chunk) => {
        const delta = (chunk.choices[0]?.delta ?? {}) as Json;
        reasoning += (delta.reasoning_content as string | undefined) ?? '';
        if (delta.thinking_blocks !== undefined) extras.push(...(delta.thinking_blocks as Json[]));
      });
      const final = await runner.finalChatCompletion();
      expect(extras).toEqual([{ type: 'thinking', thinking: '', signature: expect.any(String) }]);
      const message = { ...final.choices[0]!.message, reasoning_content: reasoning };
      expect(thinkingBlocksOf(message)).toEqual(extras);
      const call = functionCalls(final.choices[0]!.message)[0]!;
      const second = await client.chat.completions.create({
        model: 'claude-sonnet-4-5',
        tools: TOOLS,
        reasoning_effort: 'low',
        messages: [...MESSAGES, message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' }],
      });
      expect(second.choices[0]!.finish_reason).toBe('stop');
      expect(upstreamBody(stack).messages[1].content[0]).toEqual({ type: 'thinking', thinking: reasoning, signature: extras[0]!.signature });
    });
  });

  describe('prompt caching, usage and cost', () => {
    it('honours cache_control and prices cache writes and reads at their own prices', async () => {
      stack.simulator.script({ behaviour: { cachedTokens: 600, cacheWriteTokens: 300 }, times: 1 });
      const long = 'Reference text. '.repeat(300);
      const tool = { ...WEATHER_TOOL, cache_control: { type: 'ephemeral' } };
      const completion = await client.chat.completions.create({
        model: 'claude-sonnet-4-5',
        tools: [tool as OpenAI.Chat.ChatCompletionFunctionTool],
        tool_choice: 'none',
        messages: [
          { role: 'system', content: [{ type: 'text', text: long, cache_control: { type: 'ephemeral', ttl: '1h' } } as OpenAI.Chat.ChatCompletionContentPartText] },
          { role: 'user', content: [{ type: 'text', text: 'Summarise.', cache_control: { type: 'ephemeral' } } as OpenAI.Chat.ChatCompletionContentPartText] },
        ],
      });
      const body = upstreamBody(stack);
      expect(body.tools[0].cache_control).toEqual({ type: 'ephemeral' });
      expect(body.system).toEqual([{ type: 'text', text: long, cache_control: { type: 'ephemeral', ttl: '1h' } }]);
      expect(body.messages[0].content).toEqual([{ type: 'text', text: 'Summarise.', cache_control: { type: 'ephemeral' } }]);

      const usage = completion.usage!;
      const details = usage.prompt_tokens_details as { cached_tokens: number; cache_write_tokens?: number };
      expect(details.cached_tokens).toBe(600);
      expect(details.cache_write_tokens).toBe(300);
      expect(usage.prompt_tokens).toBeGreaterThan(900);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      const cost = routingMetadataOf(completion)?.cost;
      expect(cost?.usd).toBe(expectedCostUsd({ prompt: usage.prompt_tokens, cached: 600, written: 300, completion: usage.completion_tokens }));
      expect(cost?.cache_savings_usd).toBeGreaterThan(0);
    });

    it('reports the same usage and cost in the final stream chunk', async () => {
      stack.simulator.script({ behaviour: { cachedTokens: 5, cacheWriteTokens: 3 }, times: 2 });
      const created = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES });
      const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, stream: true });
      let last: OpenAI.Chat.ChatCompletionChunk | undefined;
      for await (const chunk of stream) last = chunk;
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toEqual(created.usage);
      expect(routingMetadataOf(last!)?.cost?.usd).toBe(routingMetadataOf(created)?.cost?.usd);
      expect(routingMetadataOf(created)?.cost?.usd).toBe(expectedCostUsd({ prompt: created.usage!.prompt_tokens, cached: 5, written: 3, completion: created.usage!.completion_tokens }));
    });
  });
});

describe('anthropic provider errors with the official openai client', () => {
  let stack: Stack;
  let client: OpenAI;

  // A fresh stack per test: failures open breakers and Retry-After fences offers off.
  beforeEach(async () => {
    stack = await startStack({
      profiles: [{ id: 'claude', apiKey: KEY }, { id: 'claude_backup', apiKey: KEY }],
      models: {
        'claude-sonnet-4-5': [offer('claude-sonnet-4-5-20250929')],
        pair: [offer('claude-opus-4-6'), { ...offer('claude-opus-4-6', 'claude_backup'), price: { ...PRICE, input: 30 } }],
      },
      overrides: { random: () => 0.5 },
    });
    client = clientFor(stack);
  });
  afterEach(async () => {
    await stack.close();
  });

  it('a 429 with retry-after is a RateLimitError carrying Retry-After', async () => {
    stack.simulator.script({ behaviour: { status: 429, retryAfter: 7 } });
    const error = await caught(() => client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as APIError).code).toBe('rate_limit_exceeded');
    expect((error as APIError).headers?.get('retry-after')).toBe('7');
  });

  it('a 529 is a 503 model_unavailable, and falls back to another offer when there is one', async () => {
    stack.simulator.script({ match: { profile: 'claude' }, behaviour: { status: 529 } });
    const error = await caught(() => client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 503, code: 'model_unavailable' });
    const served = await client.chat.completions.create({ model: 'pair', messages: MESSAGES });
    expect(routingMetadataOf(served)).toMatchObject({ provider: 'claude_backup', attempts: [{ provider: 'claude', status: 503, code: 'model_unavailable' }, { provider: 'claude_backup', status: 200 }] });
  });

  it('a spend-limit 429 is not retryable', async () => {
    stack.simulator.script({ behaviour: { status: 429, errorCode: 'enforced_spend_limit_reached', retryAfter: 60 } });
    const error = await caught(() => client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect((error as APIError).headers?.get('x-error-retryable')).toBe('false');
  });

  it('an error event mid-stream makes the client throw an APIError while iterating', async () => {
    stack.simulator.script({ behaviour: { headersFirst: true, ttftMs: 50, streamErrorAt: 2 }, times: 1 });
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: MESSAGES, stream: true });
    let content = '';
    const error = await caught(async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    });
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ code: 'model_unavailable', error: expect.objectContaining({ provider: 'claude' }) });
    expect(content).toBe('This is');
    expect(stack.simulator.requests).toHaveLength(1);
  });
});
