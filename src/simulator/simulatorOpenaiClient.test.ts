import OpenAI, { APIConnectionError, APIError, AuthenticationError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulatorServer.js';

let simulator: Simulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'fast' }, { id: 'locked', apiKey: 'sk-locked-abcdefghij' }] });
  client = new OpenAI({ baseURL: simulator.profileUrl('fast'), apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await simulator.close();
});

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is the weather in Paris?' },
];

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } },
      required: ['city', 'unit'],
    },
  },
};
const timeTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
};

describe('official openai client', () => {
  it('create and stream().finalChatCompletion() agree on content and usage', async () => {
    const created = await client.chat.completions.create({ model: 'sim-chat@tokens=20', messages });
    const stream = client.chat.completions.stream({ model: 'sim-chat@tokens=20', messages, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(created.choices[0]!.message.content).toBeTruthy();
    expect(final.choices[0]!.message.content).toBe(created.choices[0]!.message.content);
    expect(deltas.join('')).toBe(created.choices[0]!.message.content);
    expect(final.usage).toEqual(created.usage);
    expect(created.usage!.completion_tokens).toBe(20);
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(final.model).toBe('sim-chat');
    expect(simulator.requests.at(-1)?.profile).toBe('fast');
  });

  it('returns tool calls with valid JSON arguments (non-stream)', async () => {
    const created = await client.chat.completions.create({ model: 'sim-chat', messages, tools: [weatherTool, timeTool] });
    const choice = created.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const calls = choice.message.tool_calls!;
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
  });

  it('streams tool calls: id/type/name only on the first fragment, arguments concatenate to valid JSON', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim-chat@tools=3',
      messages,
      tools: [weatherTool, timeTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    const fragments: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        fragments.push(...(choice.delta.tool_calls ?? []));
        finishReason = choice.finish_reason ?? finishReason;
      }
    }
    expect(finishReason).toBe('tool_calls');
    const byIndex = new Map<number, typeof fragments>();
    for (const fragment of fragments) byIndex.set(fragment.index, [...(byIndex.get(fragment.index) ?? []), fragment]);
    expect([...byIndex.keys()]).toEqual([0, 1, 2]);
    const names: string[] = [];
    for (const [, parts] of byIndex) {
      const [first, ...rest] = parts;
      expect(first).toMatchObject({ type: 'function', function: { arguments: '' } });
      expect(first!.id).toMatch(/^call_/);
      names.push(first!.function!.name!);
      expect(rest.length).toBeGreaterThanOrEqual(2);
      expect(rest.length).toBeLessThanOrEqual(3);
      for (const part of rest) {
        expect(Object.keys(part)).toEqual(['index', 'function']);
        expect(Object.keys(part.function!)).toEqual(['arguments']);
      }
      expect(() => JSON.parse(rest.map((part) => part.function!.arguments).join(''))).not.toThrow();
    }
    expect(names).toEqual(['get_weather', 'get_time', 'get_weather']);
    const final = await client.chat.completions
      .stream({ model: 'sim-chat@tools=2', messages, tools: [weatherTool, timeTool], stream_options: { include_usage: true } })
      .finalChatCompletion();
    const nonStreamed = await client.chat.completions.create({ model: 'sim-chat@tools=2', messages, tools: [weatherTool, timeTool] });
    const summary = (calls: OpenAI.Chat.ChatCompletionMessageToolCall[] | undefined) =>
      calls?.map((call) => (call.type === 'function' ? [call.function.name, call.function.arguments] : [])) ?? [];
    expect(summary(final.choices[0]!.message.tool_calls)).toEqual(summary(nonStreamed.choices[0]!.message.tool_calls));
    expect(final.usage).toEqual(nonStreamed.usage);
  });

  it('honours tool_choice by name, none, parallel_tool_calls false, and answers text after a tool message', async () => {
    const named = await client.chat.completions.create({ model: 'm', messages, tools: [weatherTool, timeTool], tool_choice: { type: 'function', function: { name: 'get_time' } } });
    const namedCall = named.choices[0]!.message.tool_calls![0]!;
    expect(namedCall.type === 'function' && namedCall.function.name).toBe('get_time');
    const none = await client.chat.completions.create({ model: 'm', messages, tools: [weatherTool], tool_choice: 'none' });
    expect(none.choices[0]!.finish_reason).toBe('stop');
    const single = await client.chat.completions.create({ model: 'm@tools=3', messages, tools: [weatherTool, timeTool], parallel_tool_calls: false });
    expect(single.choices[0]!.message.tool_calls).toHaveLength(1);
    const afterTool = await client.chat.completions.create({
      model: 'm',
      tools: [weatherTool],
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    });
    expect(afterTool.choices[0]!.finish_reason).toBe('stop');
    expect(afterTool.choices[0]!.message.content).toBeTruthy();
    const never = await client.chat.completions.create({ model: 'm@tools=never', messages, tools: [weatherTool] });
    expect(never.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('returns n choices through stream().finalChatCompletion()', async () => {
    const final = await client.chat.completions.stream({ model: 'm@tokens=4', n: 2, messages }).finalChatCompletion();
    expect(final.choices).toHaveLength(2);
    expect(final.choices.every((choice) => choice.finish_reason === 'stop')).toBe(true);
  });
});

describe('faults seen through the openai client', () => {
  it('status errors become typed APIErrors with OpenAI body and retry headers', async () => {
    const error = await client.chat.completions.create({ model: 'sim-chat@status=429,retry_after=7', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.headers.get('retry-after')).toBe('7');
    expect(rateLimit.requestID).toMatch(/^req_/);
  });

  it('401 for a wrong key on a keyed profile', async () => {
    const locked = new OpenAI({ baseURL: simulator.profileUrl('locked'), apiKey: 'sk-wrong-000000000000', maxRetries: 0 });
    await expect(locked.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(AuthenticationError);
    const unlocked = new OpenAI({ baseURL: simulator.profileUrl('locked'), apiKey: 'sk-locked-abcdefghij', maxRetries: 0 });
    await expect(unlocked.chat.completions.create({ model: 'm', messages })).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('a reset becomes an APIConnectionError', async () => {
    await expect(client.chat.completions.create({ model: 'sim-chat@reset', messages })).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('streamErrorAt throws an APIError carrying the error event', async () => {
    const stream = await client.chat.completions.create({ model: 'sim-chat@stream_error_at=2', messages, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe('server_error');
    expect(seen).toEqual(['', 'This', ' is']);
  });

  it('stopAfterChunks cuts the connection after N chunks: the client sees them, then a network error', async () => {
    const stream = await client.chat.completions.create({ model: 'sim-chat@stop_after=2', messages, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual(['', 'This', ' is']);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
    await expect(client.chat.completions.stream({ model: 'sim-chat@stop_after=2', messages }).finalChatCompletion()).rejects.toThrow(/terminated/);
  });

  it('malformedChunkAt makes the client fail to parse the stream', async () => {
    // logLevel off: the client would otherwise log the unparsable chunk to the test output.
    const quietClient = new OpenAI({ baseURL: simulator.profileUrl('fast'), apiKey: 'unused', maxRetries: 0, logLevel: 'off' });
    const stream = await quietClient.chat.completions.create({ model: 'sim-chat@malformed_at=1', messages, stream: true });
    const error = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyntaxError);
  });
});
