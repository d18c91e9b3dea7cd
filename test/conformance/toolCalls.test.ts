import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, MESSAGES, OPENAI_PROTOCOL_TYPES, routingMetadataOf, TIME_TOOL, WEATHER_TOOL } from './conformanceSupport.js';

const TOOLS = [WEATHER_TOOL, TIME_TOOL];
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;

function functionCalls(message: OpenAI.Chat.ChatCompletionMessage): FunctionCall[] {
  const calls = message.tool_calls ?? [];
  for (const call of calls) expect(call.type).toBe('function');
  return calls as FunctionCall[];
}

/** What must survive a round trip through the stream: order, name and arguments (ids differ per request). */
function callShape(calls: FunctionCall[]) {
  return calls.map((call) => ({ type: call.type, name: call.function.name, arguments: call.function.arguments }));
}

describe.each(OPENAI_PROTOCOL_TYPES)('tool calls with the official client (%s provider)', (type) => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({ profiles: [{ id: 'alpha' }], models: { 'test-model': [{ profile: 'alpha', price: { input: 1, output: 2 }, type }] } });
    client = clientFor(stack);
  });
  afterAll(async () => {
    await closeStack(stack);
  });
  afterEach(() => {
    stack.simulator.clearScripts();
    stack.simulator.clearRequests();
  });

  it('returns a single tool call with JSON arguments (non-streamed)', async () => {
    const completion = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, tools: TOOLS });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const calls = functionCalls(choice.message);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.id).toMatch(/^call_\w+$/);
    expect(calls[0]!.function.name).toBe('get_weather');
    expect(JSON.parse(calls[0]!.function.arguments)).toEqual({ city: expect.any(String), unit: expect.stringMatching(/^(celsius|fahrenheit)$/) });
    // The tools went upstream as sent.
    expect((stack.simulator.requests.at(-1)!.body as { tools?: unknown }).tools).toEqual(TOOLS);
  });

  it('returns parallel tool calls with distinct ids (non-streamed)', async () => {
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
    const completion = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, tools: TOOLS });
    const calls = functionCalls(completion.choices[0]!.message);
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    for (const call of calls) expect(typeof JSON.parse(call.function.arguments)).toBe('object');
  });

  it('streams tool calls with index, id and name on the first fragment only', async () => {
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
    const stream = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, tools: TOOLS, stream: true });
    const fragments: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    const finishReasons: string[] = [];
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        fragments.push(...(choice.delta.tool_calls ?? []));
        if (choice.finish_reason !== null) finishReasons.push(choice.finish_reason);
      }
    }
    expect(finishReasons).toEqual(['tool_calls']);
    const byIndex = new Map<number, OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[]>();
    for (const fragment of fragments) byIndex.set(fragment.index, [...(byIndex.get(fragment.index) ?? []), fragment]);
    expect([...byIndex.keys()]).toEqual([0, 1]);
    const names: string[] = [];
    for (const parts of byIndex.values()) {
      const [first, ...rest] = parts;
      expect(first!.id).toMatch(/^call_\w+$/);
      expect(first!.type).toBe('function');
      names.push(first!.function!.name!);
      for (const part of rest) {
        expect(part.id).toBeUndefined();
        expect(part.function?.name).toBeUndefined();
      }
      const args = parts.map((part) => part.function?.arguments ?? '').join('');
      expect(() => JSON.parse(args) as unknown).not.toThrow();
    }
    expect(names).toEqual(['get_weather', 'get_time']);
  });

  it.each([1, 2])('finalChatCompletion() rebuilds %i tool call(s) equal to the non-streamed ones', async (count) => {
    stack.simulator.script({ behaviour: { toolCalls: count }, times: 2 });
    const created = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, tools: TOOLS });
    const runner = client.chat.completions.stream({ model: 'test-model', messages: MESSAGES, tools: TOOLS });
    const streamedIds: string[] = [];
    runner.on('chunk', (chunk) => {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) if (call.id !== undefined) streamedIds[call.index] = call.id;
    });
    const final = await runner.finalChatCompletion();

    const createdCalls = functionCalls(created.choices[0]!.message);
    const finalCalls = functionCalls(final.choices[0]!.message);
    expect(createdCalls).toHaveLength(count);
    expect(callShape(finalCalls)).toEqual(callShape(createdCalls));
    expect(finalCalls.map((call) => call.id)).toEqual(streamedIds);
    expect(new Set(streamedIds).size).toBe(count);
    expect(final.choices[0]!.finish_reason).toBe(created.choices[0]!.finish_reason);
    expect(final.choices[0]!.message.content ?? null).toBe(created.choices[0]!.message.content);
    expect(final.usage).toEqual(created.usage);
    for (const call of finalCalls) expect(typeof JSON.parse(call.function.arguments)).toBe('object');
  });

  it('answers a follow-up turn with tool results and sends the history upstream unchanged', async () => {
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
    const first = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, tools: TOOLS });
    const calls = functionCalls(first.choices[0]!.message);
    const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
      ...MESSAGES,
      { role: 'assistant', content: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: call.function })) },
      { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temperature":21,"unit":"celsius"}' },
      { role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' },
    ];
    const second = await client.chat.completions.create({ model: 'test-model', messages: history, tools: TOOLS });

    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toMatch(/^This is a simulated reply/);
    expect(second.choices[0]!.message.tool_calls ?? []).toEqual([]);
    const upstream = stack.simulator.requests.at(-1)!.body as { messages: unknown; tools: unknown };
    expect(upstream.messages).toEqual(history);
    expect(upstream.tools).toEqual(TOOLS);
  });

  it('answers legacy functions with message.function_call and finish_reason function_call', async () => {
    const { data } = await client.chat.completions
      .create({ model: 'test-model', messages: MESSAGES, functions: [WEATHER_TOOL.function], function_call: 'auto' })
      .withResponse();
    const choice = data.choices[0]!;
    expect(choice.finish_reason).toBe('function_call');
    expect(choice.message.tool_calls ?? undefined).toBeUndefined();
    expect(choice.message.function_call?.name).toBe('get_weather');
    expect(JSON.parse(choice.message.function_call!.arguments)).toMatchObject({ city: expect.any(String) });
    const warnings = routingMetadataOf(data)?.warnings ?? [];
    expect(warnings.map((warning) => warning.code)).toContain('legacy_field_converted');
    // Upstream only ever sees the modern spelling.
    const upstream = stack.simulator.requests.at(-1)!.body as Record<string, unknown>;
    expect(upstream.tools).toEqual([{ type: 'function', function: WEATHER_TOOL.function }]);
    expect(upstream.functions).toBeUndefined();
  });

  it('streams legacy functions as function_call deltas that finalChatCompletion() rebuilds', async () => {
    const created = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, functions: [WEATHER_TOOL.function] });
    const runner = client.chat.completions.stream({ model: 'test-model', messages: MESSAGES, functions: [WEATHER_TOOL.function] });
    let sawToolCallsDelta = false;
    runner.on('chunk', (chunk) => {
      if (chunk.choices.some((choice) => choice.delta.tool_calls !== undefined)) sawToolCallsDelta = true;
    });
    const final = await runner.finalChatCompletion();
    expect(sawToolCallsDelta).toBe(false);
    expect(final.choices[0]!.finish_reason).toBe('function_call');
    expect(final.choices[0]!.message.function_call).toEqual(created.choices[0]!.message.function_call);
  });

  it('keeps legacy function_call streamed and non-streamed equal when the upstream calls two tools', async () => {
    // `functions` has no room for parallel calls: both forms must carry the first call, whole.
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 2 });
    const functions = [WEATHER_TOOL.function, TIME_TOOL.function];
    const created = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, functions });
    const final = await client.chat.completions.stream({ model: 'test-model', messages: MESSAGES, functions }).finalChatCompletion();
    const expected = created.choices[0]!.message.function_call!;
    expect(expected.name).toBe('get_weather');
    expect(JSON.parse(expected.arguments)).toMatchObject({ city: expect.any(String) });
    expect(final.choices[0]!.message.function_call).toEqual(expected);
    expect(final.choices[0]!.finish_reason).toBe('function_call');
  });
});
