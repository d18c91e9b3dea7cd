import type OpenAI from 'openai';
import { APIError, BadRequestError, InternalServerError, RateLimitError } from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack, type StackOfferSpec } from '../support/startStack.js';
import { clientFor, closeStack, expectedCostUsd, MESSAGES, routingMetadataOf, TIME_TOOL, WEATHER_TOOL } from './conformanceSupport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into the recorded Gemini body, whose shape is what is being tested
type Json = Record<string, any>;
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
/** A tool call as the wire carries it: Gemini's signature rides in `extra_content`, which the client's types do not know. */
type SignedCall = FunctionCall & { extra_content?: { google?: { thought_signature?: string } } };

const KEY = 'AIza-gemini-sim-key';
const PRICE = { input: 0.3, output: 2.5, cache_read: 0.03 };
const TOOLS = [WEATHER_TOOL, TIME_TOOL];

/** Canonical model → upstream Gemini model, all on one `gemini` provider served by the simulator profile `google`. */
const MODELS: Record<string, string> = {
  'gemini-flash': 'gemini-2.5-flash',
  'gemini-3-flash': 'gemini-3.5-flash',
  'gemini-3-pro': 'gemini-3.1-pro-preview',
};

function offers(): Record<string, StackOfferSpec[]> {
  return Object.fromEntries(Object.entries(MODELS).map(([id, upstreamModel]) => [id, [{ profile: 'google', price: PRICE, type: 'gemini', upstreamModel }]]));
}

async function geminiStack(): Promise<Stack> {
  return startStack({ profiles: [{ id: 'google', apiKey: KEY }], models: offers() });
}

function upstream(stack: Stack): RecordedRequest {
  const recorded = stack.simulator.requests.at(-1);
  if (recorded === undefined) throw new Error('no upstream request was recorded');
  return recorded;
}

function upstreamBody(stack: Stack): Json {
  return upstream(stack).body as Json;
}

function functionCalls(message: OpenAI.Chat.ChatCompletionMessage): SignedCall[] {
  return (message.tool_calls ?? []) as SignedCall[];
}

async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('gemini provider with the official openai client', () => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await geminiStack();
    client = clientFor(stack);
  });
  afterAll(async () => {
    await closeStack(stack);
  });
  afterEach(() => {
    stack.simulator.clearScripts();
    stack.simulator.clearRequests();
  });

  describe('text', () => {
    it('answers a plain request, sending the system prompt as systemInstruction with the key in x-goog-api-key', async () => {
      const completion = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES });
      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe('gemini-2.5-flash');
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'This is a simulated reply from the Switchyard provider simulator, generated one' });

      const recorded = upstream(stack);
      expect(recorded.path).toBe('/p/google/v1beta/models/gemini-2.5-flash:generateContent');
      expect(recorded.headers['x-goog-api-key']).toBe(KEY);
      expect(recorded.headers.authorization).toBeUndefined();
      expect(recorded.body).toEqual({
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [{ role: 'user', parts: [{ text: 'What is the weather in Paris today?' }] }],
      });
    });

    it('reports usage (cached and reasoning tokens included) and the exact cost', async () => {
      stack.simulator.script({ behaviour: { cachedTokens: 8, reasoningTokens: 3 }, times: 1 });
      const { data } = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES }).withResponse();
      const usage = data.usage!;
      // The simulator's prompt estimate: ceil(44 characters / 4) + 3 per message; 12 reply tokens + 3 thoughts.
      expect(usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 15, total_tokens: 32 });
      expect(usage.prompt_tokens_details?.cached_tokens).toBe(8);
      expect(usage.completion_tokens_details?.reasoning_tokens).toBe(3);
      const metadata = routingMetadataOf(data)!;
      expect(metadata).toMatchObject({ provider: 'google', provider_model_id: 'gemini-2.5-flash', model_canonical: 'gemini-flash' });
      expect(metadata.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: 17, completion_tokens: 15, cached_tokens: 8 }, PRICE));
      expect(metadata.cost?.cache_savings_usd).toBeGreaterThan(0);
    });

    it('streams through streamGenerateContent?alt=sse with a final usage chunk and routing metadata', async () => {
      const stream = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, stream: true });
      let content = '';
      const finishReasons: string[] = [];
      let last: OpenAI.Chat.ChatCompletionChunk | undefined;
      let roles = 0;
      for await (const chunk of stream) {
        last = chunk;
        for (const choice of chunk.choices) {
          content += choice.delta.content ?? '';
          if (choice.delta.role === 'assistant') roles++;
          if (choice.finish_reason !== null) finishReasons.push(choice.finish_reason);
        }
      }
      expect(roles).toBe(1);
      expect(content).toBe('This is a simulated reply from the Switchyard provider simulator, generated one');
      expect(finishReasons).toEqual(['stop']);
      expect(last!.choices).toEqual([]);
      expect(last!.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 });
      const metadata = routingMetadataOf(last!)!;
      expect(metadata.ttft_ms).toBeGreaterThanOrEqual(0);
      expect(metadata.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: 17, completion_tokens: 12, cached_tokens: 0 }, PRICE));
      // The recorded path has no query; the simulator answers SSE only for alt=sse, so the stream above proves it.
      expect(upstream(stack).path).toBe('/p/google/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    });

    it('stream(...).finalChatCompletion() equals the non-streamed completion', async () => {
      stack.simulator.script({ behaviour: { reasoningTokens: 4, cachedTokens: 2 }, times: 2 });
      const request = { model: 'gemini-flash', messages: MESSAGES, reasoning_effort: 'low' } as const;
      const created = await client.chat.completions.create(request);
      const final = await client.chat.completions.stream(request).finalChatCompletion();
      const shape = (completion: OpenAI.Chat.ChatCompletion) => ({
        model: completion.model,
        choices: completion.choices.map((choice) => ({
          index: choice.index,
          finish_reason: choice.finish_reason,
          role: choice.message.role,
          content: choice.message.content,
          reasoning_content: (choice.message as { reasoning_content?: string }).reasoning_content,
          tool_calls: choice.message.tool_calls ?? [],
        })),
        usage: completion.usage,
      });
      expect(shape(final)).toEqual(shape(created));
      expect((created.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe('Let me think this');
    });
  });

  describe('tools', () => {
    it('returns parallel calls with JSON arguments, and sends the results back named and in call order', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
      const first = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, tools: TOOLS });
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      expect(first.choices[0]!.message.content).toBeNull();
      const calls = functionCalls(first.choices[0]!.message);
      expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
      expect(new Set(calls.map((call) => call.id)).size).toBe(2);
      for (const call of calls) expect(call.id).toMatch(/^call_\w+$/);
      expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ city: expect.any(String), unit: expect.stringMatching(/^(celsius|fahrenheit)$/) });
      expect(upstreamBody(stack).tools).toEqual([
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Current weather for a city.', parametersJsonSchema: WEATHER_TOOL.function.parameters },
            { name: 'get_time', parametersJsonSchema: TIME_TOOL.function.parameters },
          ],
        },
      ]);

      const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
        ...MESSAGES,
        { role: 'assistant', content: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: call.function })) },
        // Results arrive in the other order: Gemini gets them in call order.
        { role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' },
        { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temperature":21,"unit":"celsius"}' },
      ];
      const second = await client.chat.completions.create({ model: 'gemini-flash', messages: history, tools: TOOLS });
      expect(second.choices[0]!.finish_reason).toBe('stop');
      expect(second.choices[0]!.message.content).toEqual(expect.any(String));

      const contents = upstreamBody(stack).contents as Json[];
      expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
      expect(contents[1]!.parts).toEqual(calls.map((call) => ({ functionCall: { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) } })));
      expect(contents[2]!.parts).toEqual([
        { functionResponse: { id: calls[0]!.id, name: 'get_weather', response: { temperature: 21, unit: 'celsius' } } },
        { functionResponse: { id: calls[1]!.id, name: 'get_time', response: { output: '14:05' } } },
      ]);
    });

    it('splits whole Gemini function calls into OpenAI tool-call chunks that finalChatCompletion() rebuilds', async () => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 2 });
      const created = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, tools: TOOLS });
      const runner = client.chat.completions.stream({ model: 'gemini-flash', messages: MESSAGES, tools: TOOLS });
      const fragments: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
      runner.on('chunk', (chunk) => fragments.push(...(chunk.choices[0]?.delta.tool_calls ?? [])));
      const final = await runner.finalChatCompletion();

      expect(fragments.map((fragment) => fragment.index)).toEqual([0, 0, 1, 1]);
      const [start0, args0, start1, args1] = fragments;
      for (const start of [start0!, start1!]) {
        expect(start.id).toMatch(/^call_\w+$/);
        expect(start.type).toBe('function');
        expect(start.function).toMatchObject({ name: expect.any(String), arguments: '' });
      }
      for (const delta of [args0!, args1!]) {
        expect(delta.id).toBeUndefined();
        expect(delta.function?.name).toBeUndefined();
      }
      const shape = (calls: SignedCall[]) => calls.map((call) => ({ name: call.function.name, arguments: call.function.arguments }));
      expect(shape(functionCalls(final.choices[0]!.message))).toEqual(shape(functionCalls(created.choices[0]!.message)));
      expect(functionCalls(final.choices[0]!.message).map((call) => call.id)).toEqual([start0!.id, start1!.id]);
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(final.usage).toEqual(created.usage);
    });

    it('sends tool_choice as functionCallingConfig', async () => {
      await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_time' } } });
      expect(upstreamBody(stack).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } });
      await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, tools: TOOLS, tool_choice: 'required' });
      expect(upstreamBody(stack).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    });
  });

  describe('Gemini 3 thought signatures', () => {
    it.each([false, true])('survive a two-turn tool conversation through the client (stream: %s)', async (stream) => {
      stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
      const request = { model: 'gemini-3-flash', messages: MESSAGES, tools: TOOLS };
      const first = stream ? await client.chat.completions.stream(request).finalChatCompletion() : await client.chat.completions.create(request);
      const calls = functionCalls(first.choices[0]!.message);
      expect(calls).toHaveLength(2);
      // Only the first of parallel calls is signed, as Gemini does.
      expect(calls[0]!.extra_content?.google?.thought_signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(calls[1]!.extra_content).toBeUndefined();

      // The client echoes the calls as it got them, extra_content included.
      const history = [
        ...MESSAGES,
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0]!.id, content: 'sunny' },
        { role: 'tool', tool_call_id: calls[1]!.id, content: 'noon' },
      ] as OpenAI.Chat.ChatCompletionMessageParam[];
      const { data } = await client.chat.completions.create({ model: 'gemini-3-flash', messages: history, tools: TOOLS }).withResponse();
      expect(data.choices[0]!.finish_reason).toBe('stop');
      expect(routingMetadataOf(data)!.warnings).toBeUndefined();
      const model = (upstreamBody(stack).contents as Json[])[1]!;
      expect(model.parts[0].thoughtSignature).toBe(calls[0]!.extra_content!.google!.thought_signature);
      expect(model.parts[1]).not.toHaveProperty('thoughtSignature');
    });

    it('sends Google\'s placeholder, with a warning, when a client dropped the signature', async () => {
      const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
        ...MESSAGES,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_lost', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } }] },
        { role: 'tool', tool_call_id: 'call_lost', content: 'noon' },
      ];
      const { data } = await client.chat.completions.create({ model: 'gemini-3-flash', messages: history, tools: TOOLS }).withResponse();
      expect(data.choices[0]!.finish_reason).toBe('stop');
      expect(routingMetadataOf(data)!.warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[2].tool_calls[0]' })]);
      expect((upstreamBody(stack).contents as Json[])[1]!.parts[0].thoughtSignature).toBe('skip_thought_signature_validator');
    });
  });

  describe('reasoning_effort', () => {
    it.each<[string, string, unknown, boolean]>([
      ['gemini-flash', 'low', { thinkingBudget: 1024, includeThoughts: true }, false],
      ['gemini-flash', 'medium', { thinkingBudget: 2048, includeThoughts: true }, false],
      ['gemini-flash', 'high', { thinkingBudget: 4096, includeThoughts: true }, false],
      ['gemini-flash', 'xhigh', { thinkingBudget: 24576, includeThoughts: true }, false],
      ['gemini-flash', 'max', { thinkingBudget: 24576, includeThoughts: true }, false],
      ['gemini-flash', 'none', { thinkingBudget: 0 }, true],
      ['gemini-3-flash', 'low', { thinkingLevel: 'LOW', includeThoughts: true }, false],
      ['gemini-3-flash', 'medium', { thinkingLevel: 'MEDIUM', includeThoughts: true }, false],
      ['gemini-3-flash', 'high', { thinkingLevel: 'HIGH', includeThoughts: true }, false],
      ['gemini-3-flash', 'max', { thinkingLevel: 'HIGH', includeThoughts: true }, false],
      ['gemini-3-flash', 'off', { thinkingLevel: 'MINIMAL' }, true],
      ['gemini-3-pro', 'medium', { thinkingLevel: 'HIGH', includeThoughts: true }, true],
      ['gemini-3-pro', 'low', { thinkingLevel: 'LOW', includeThoughts: true }, false],
    ])('%s with %s sends thinkingConfig %j', async (model, effort, thinkingConfig, warned) => {
      const { data } = await client.chat.completions
        .create({ model, messages: MESSAGES, reasoning_effort: effort as OpenAI.Chat.ChatCompletionCreateParams['reasoning_effort'] })
        .withResponse();
      expect(data.choices[0]!.finish_reason).toBe('stop');
      expect(upstreamBody(stack).generationConfig).toEqual({ thinkingConfig });
      const warnings = routingMetadataOf(data)!.warnings ?? [];
      expect(warnings.some((warning) => warning.param === 'reasoning_effort')).toBe(warned);
    });

    it('returns thought summaries as reasoning_content, streamed and not', async () => {
      stack.simulator.script({ behaviour: { reasoningTokens: 5 }, times: 2 });
      const created = await client.chat.completions.create({ model: 'gemini-3-flash', messages: MESSAGES, reasoning_effort: 'high' });
      expect((created.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe('Let me think this through');
      expect(created.usage?.completion_tokens_details?.reasoning_tokens).toBe(5);
      const stream = await client.chat.completions.create({ model: 'gemini-3-flash', messages: MESSAGES, reasoning_effort: 'high', stream: true });
      let reasoning = '';
      for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      expect(reasoning).toBe('Let me think this through');
    });
  });

  describe('structured output and images', () => {
    it('sends json_schema as responseMimeType + responseJsonSchema and returns matching JSON', async () => {
      const schema = { type: 'object', properties: { summary: { type: 'string' }, temperature: { type: 'number' } }, required: ['summary', 'temperature'], additionalProperties: false };
      const completion = await client.chat.completions.create({
        model: 'gemini-flash',
        messages: MESSAGES,
        response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
      });
      expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ summary: expect.any(String), temperature: expect.any(Number) });
      expect(upstreamBody(stack).generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    });

    it('sends a data-URL image inline', async () => {
      const completion = await client.chat.completions.create({
        model: 'gemini-flash',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } }] }],
      });
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(upstreamBody(stack).contents).toEqual([{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } }] }]);
    });

    it('refuses an image URL it would have to fetch, before calling Gemini', async () => {
      const error = await caught(() =>
        client.chat.completions.create({ model: 'gemini-flash', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as APIError).code).toBe('invalid_parameter_value');
      expect((error as APIError).param).toBe('messages[0].content[0].image_url.url');
      expect(stack.simulator.requests).toHaveLength(0);
    });
  });
});

describe('gemini provider errors with the official openai client', () => {
  let stack: Stack;
  let client: OpenAI;

  // A fresh stack per test: failures open circuit breakers and Retry-After fences the offer off.
  beforeEach(async () => {
    stack = await geminiStack();
    client = clientFor(stack);
  });
  afterEach(async () => {
    await closeStack(stack);
  });

  it.each([false, true])('a 429 RESOURCE_EXHAUSTED with RetryInfo is a RateLimitError with Retry-After (stream: %s)', async (stream) => {
    stack.simulator.script({ behaviour: { status: 429, retryAfter: 30 } });
    const error = await caught(() => client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, stream }));
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.headers.get('retry-after')).toBe('30');
    expect(rateLimit.headers.get('x-error-provider')).toBe('google');
    expect(rateLimit.headers.get('x-rate-limit-source')).toBe('provider');
  });

  it('a 503 UNAVAILABLE is a 503 model_unavailable', async () => {
    stack.simulator.script({ behaviour: { status: 503 } });
    const error = await caught(() => client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'model_unavailable' });
    expect((error as APIError).headers?.get('x-error-retryable')).toBe('true');
  });

  it('an {error} event after the stream started makes the client throw an APIError while iterating', async () => {
    // The first chunk opens the stream; the error event comes 50 ms after the second.
    stack.simulator.script({ behaviour: { tokensPerSecond: 20, streamErrorAt: 2 }, times: 1 });
    const stream = await client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES, stream: true });
    let content = '';
    const error = await caught(async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    });
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ code: 'upstream_error', type: 'api_error' });
    expect((error as APIError).error).toMatchObject({ provider: 'google' });
    expect(content).toBe('This is');
  });

  it('a key Google refuses (400 API_KEY_INVALID) is the provider refusing the gateway\'s credentials', async () => {
    await closeStack(stack);
    stack = await startStack({ profiles: [{ id: 'google', apiKey: KEY }], models: offers(), providerKeys: { google: 'AIza-wrong' } });
    client = clientFor(stack);
    const error = await caught(() => client.chat.completions.create({ model: 'gemini-flash', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_error' });
    expect((error as APIError).message).toContain('credentials');
    expect((error as APIError).message).not.toContain('AIza');
  });
});
