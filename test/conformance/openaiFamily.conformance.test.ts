import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CompatProfileName, ProviderType } from '../../src/config/configSchema.js';
import type { ReasoningTextField } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, expectedCostUsd, MESSAGES, routingMetadataOf, TIME_TOOL, WEATHER_TOOL } from './conformanceSupport.js';

/** One provider type (or compat host profile) of the OpenAI protocol family, on the simulator. */
interface FamilyCase {
  name: string;
  type: ProviderType;
  compatProfile?: CompatProfileName;
  upstreamModel: string;
  /** How the upstream returns reasoning text (the simulator emulates it). */
  reasoningText: ReasoningTextField;
  /** Role the upstream receives for a `developer` message. */
  developerRole: 'system' | 'developer';
  /** The host reports stream usage without `stream_options` (the simulator does not, so the gateway estimates it). */
  streamUsageUpstream: boolean;
  /** Requested effort → upstream fields, and whether a warning says the value changed. */
  efforts: Record<string, { fields: Record<string, unknown>; absent?: string[]; warned: boolean }>;
}

const CASES: FamilyCase[] = [
  {
    name: 'deepseek',
    type: 'deepseek',
    upstreamModel: 'deepseek-v4-flash',
    reasoningText: 'reasoning_content',
    developerRole: 'system',
    streamUsageUpstream: true,
    efforts: {
      low: { fields: { thinking: { type: 'enabled' }, reasoning_effort: 'low' }, warned: false },
      medium: { fields: { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, warned: true },
      high: { fields: { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, warned: false },
      xhigh: { fields: { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, warned: true },
      max: { fields: { thinking: { type: 'enabled' }, reasoning_effort: 'max' }, warned: false },
      off: { fields: { thinking: { type: 'disabled' } }, absent: ['reasoning_effort'], warned: false },
    },
  },
  {
    name: 'vllm',
    type: 'vllm',
    upstreamModel: 'Qwen/Qwen3-32B',
    reasoningText: 'reasoning',
    developerRole: 'developer',
    streamUsageUpstream: true,
    efforts: {
      low: { fields: { reasoning_effort: 'low' }, warned: false },
      medium: { fields: { reasoning_effort: 'medium' }, warned: false },
      high: { fields: { reasoning_effort: 'high' }, warned: false },
      xhigh: { fields: { reasoning_effort: 'xhigh' }, warned: false },
      max: { fields: { reasoning_effort: 'max' }, warned: false },
      off: { fields: { reasoning_effort: 'none' }, absent: ['thinking'], warned: false },
    },
  },
  {
    name: 'mistral (openai-compatible, compat_profile: mistral)',
    type: 'openai-compatible',
    compatProfile: 'mistral',
    upstreamModel: 'mistral-medium-2604',
    reasoningText: 'none',
    developerRole: 'system',
    streamUsageUpstream: false,
    efforts: {
      low: { fields: { reasoning_effort: 'high' }, warned: true },
      medium: { fields: { reasoning_effort: 'high' }, warned: true },
      high: { fields: { reasoning_effort: 'high' }, warned: false },
      xhigh: { fields: { reasoning_effort: 'high' }, warned: true },
      max: { fields: { reasoning_effort: 'high' }, warned: false },
      off: { fields: { reasoning_effort: 'none' }, warned: false },
    },
  },
];

const PRICE = { input: 0.4, output: 1.6, cache_read: 0.1 };
const TOOLS = [WEATHER_TOOL, TIME_TOOL];
const REASONING_TOKENS = 4;
const CACHED_TOKENS = 8;
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
type UpstreamBody = Record<string, unknown> & { messages: Record<string, unknown>[] };
/** Reasoning text rides on the message as an extension field the client's types do not know. */
type WithReasoning = { reasoning_content?: string };

describe.each(CASES)('the OpenAI protocol family with the official client: $name', (family) => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'upstream', defaults: { reasoningText: family.reasoningText, reasoningTokens: REASONING_TOKENS, cachedTokens: CACHED_TOKENS } }],
      models: { 'family-model': [{ profile: 'upstream', price: PRICE, type: family.type, upstreamModel: family.upstreamModel }] },
      providerConfig: family.compatProfile === undefined ? {} : { upstream: { compat_profile: family.compatProfile } },
    });
    client = clientFor(stack);
  });
  afterAll(async () => {
    await closeStack(stack);
  });
  afterEach(() => {
    stack.simulator.clearScripts();
    stack.simulator.clearRequests();
  });

  const lastUpstream = (): UpstreamBody => stack.simulator.requests.at(-1)!.body as UpstreamBody;
  const expectsReasoningText = family.reasoningText !== 'none';

  it('answers plain text with reasoning_content, usage (cache hits as cached_tokens) and the exact cost', async () => {
    const { data } = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES }).withResponse();
    const choice = data.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toMatch(/^This is a simulated reply/);
    expect(data.model).toBe(family.upstreamModel);
    const reasoning = (choice.message as WithReasoning).reasoning_content;
    if (expectsReasoningText) expect(reasoning).toMatch(/\S/);
    else expect(reasoning).toBeUndefined();

    const usage = data.usage!;
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(CACHED_TOKENS);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(REASONING_TOKENS);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    const metadata = routingMetadataOf(data)!;
    expect(metadata.provider).toBe('upstream');
    expect(metadata.provider_model_id).toBe(family.upstreamModel);
    expect(metadata.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, cached_tokens: CACHED_TOKENS }, PRICE));
    expect(metadata.cost?.cache_savings_usd).toBeGreaterThan(0);
    expect(lastUpstream().model).toBe(family.upstreamModel);
  });

  it(`sends a developer prompt upstream as role ${family.developerRole}`, async () => {
    await client.chat.completions.create({ model: 'family-model', messages: [{ role: 'developer', content: 'Be terse.' }, { role: 'user', content: '2+2?' }] });
    expect(lastUpstream().messages).toEqual([{ role: family.developerRole, content: 'Be terse.' }, { role: 'user', content: '2+2?' }]);
  });

  it('streams reasoning_content before content; finalChatCompletion() equals the non-streamed answer', async () => {
    const created = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES });
    const runner = client.chat.completions.stream({ model: 'family-model', messages: MESSAGES });
    const order: string[] = [];
    let streamedReasoning = '';
    runner.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as (OpenAI.Chat.ChatCompletionChunk.Choice.Delta & WithReasoning) | undefined;
      if (delta?.reasoning_content !== undefined && delta.reasoning_content !== '') {
        streamedReasoning += delta.reasoning_content;
        order.push('reasoning');
      }
      if (typeof delta?.content === 'string' && delta.content !== '') order.push('content');
    });
    const final = await runner.finalChatCompletion();
    const upstream = lastUpstream();
    expect(upstream.stream).toBe(true);
    if (family.streamUsageUpstream) expect(upstream.stream_options).toEqual({ include_usage: true });
    else expect(upstream).not.toHaveProperty('stream_options');

    expect(final.choices[0]!.message.content).toBe(created.choices[0]!.message.content);
    expect(final.choices[0]!.finish_reason).toBe(created.choices[0]!.finish_reason);
    // The client keeps only the last fragment of an unknown delta field, so the chunks are joined here.
    expect(streamedReasoning).toBe((created.choices[0]!.message as WithReasoning).reasoning_content ?? '');
    if (expectsReasoningText) expect(order.indexOf('content')).toBeGreaterThan(order.lastIndexOf('reasoning'));
    if (family.streamUsageUpstream) expect(final.usage).toEqual(created.usage);
    else expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('runs a tool loop: calls, then results; the history goes upstream the way this host needs it', async () => {
    const first = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES, tools: TOOLS });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const calls = first.choices[0]!.message.tool_calls as FunctionCall[];
    expect(calls).toHaveLength(1);
    if (family.type === 'vllm') expect(lastUpstream().tool_choice).toBe('auto');

    // The client echoes the calls but not the reasoning, as most clients do.
    const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
      ...MESSAGES,
      { role: 'assistant', content: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: call.function })) },
      { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temperature":21}' },
    ];
    const second = await client.chat.completions.create({ model: 'family-model', messages: history, tools: TOOLS });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toMatch(/^This is a simulated reply/);

    const sent = lastUpstream().messages;
    const assistant = sent[2]!;
    const tool = sent[3]!;
    const sentCalls = assistant.tool_calls as { id: string; function: { name: string } }[];
    const firstReasoning = (first.choices[0]!.message as WithReasoning).reasoning_content;
    if (family.type === 'deepseek') {
      // Thinking mode 400s on a tool-call turn without reasoning_content: the gateway remembered turn 1's.
      expect(firstReasoning).toBeTruthy();
      expect(assistant.reasoning_content).toBe(firstReasoning);
      expect(sentCalls[0]!.id).toBe(calls[0]!.id);
    } else if (family.compatProfile === 'mistral') {
      // Mistral takes only 9-character ids: the simulator's call_ ids are remapped in call and result alike.
      expect(sentCalls[0]!.id).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(tool.tool_call_id).toBe(sentCalls[0]!.id);
      expect(tool.name).toBe('get_weather');
      expect(assistant).not.toHaveProperty('reasoning_content');
    } else {
      // A host that takes reasoning back gets turn 1's, remembered by the gateway; the rest is sent as the client wrote it.
      const restored = assistant.reasoning_content === undefined ? history : history.map((message, index) => (index === 2 ? { ...message, reasoning_content: firstReasoning } : message));
      expect(sent).toEqual(restored);
    }
  });

  if (family.type === 'deepseek') {
    it('sends reasoning_content echoed by the client back unchanged', async () => {
      const first = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES, tools: TOOLS });
      const message = first.choices[0]!.message;
      const echoed = { role: 'assistant', content: null, tool_calls: message.tool_calls, reasoning_content: (message as WithReasoning).reasoning_content } as OpenAI.Chat.ChatCompletionAssistantMessageParam;
      const calls = message.tool_calls as FunctionCall[];
      await client.chat.completions.create({ model: 'family-model', messages: [...MESSAGES, echoed, { role: 'tool', tool_call_id: calls[0]!.id, content: '21' }], tools: TOOLS });
      expect(lastUpstream().messages[2]!.reasoning_content).toBe((message as WithReasoning).reasoning_content);
    });
  }

  it('returns parallel tool calls with distinct ids, streamed and not, finalChatCompletion() rebuilding them', async () => {
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 2 });
    const created = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES, tools: TOOLS });
    const final = await client.chat.completions.stream({ model: 'family-model', messages: MESSAGES, tools: TOOLS }).finalChatCompletion();
    for (const completion of [created, final]) {
      const calls = completion.choices[0]!.message.tool_calls as FunctionCall[];
      expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
      expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
      expect(new Set(calls.map((call) => call.id)).size).toBe(2);
      for (const call of calls) expect(typeof JSON.parse(call.function.arguments)).toBe('object');
    }
    const shape = (completion: OpenAI.Chat.ChatCompletion) => (completion.choices[0]!.message.tool_calls as FunctionCall[]).map((call) => call.function);
    expect(shape(final)).toEqual(shape(created));
  });

  it('answers a JSON schema request with JSON', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const { data } = await client.chat.completions
      .create({ model: 'family-model', messages: MESSAGES, response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } } })
      .withResponse();
    expect(() => JSON.parse(data.choices[0]!.message.content ?? '') as unknown).not.toThrow();
    const upstream = lastUpstream();
    const warnings = routingMetadataOf(data)?.warnings ?? [];
    if (family.type === 'deepseek') {
      // No json_schema mode on DeepSeek: json_object, the schema in a system message, and a warning saying so.
      expect(upstream.response_format).toEqual({ type: 'json_object' });
      expect(upstream.messages.map((message) => message.role)).toEqual(['system', 'system', 'user']);
      expect(upstream.messages[1]!.content).toContain(JSON.stringify(schema));
      expect(warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'response_format' })]);
    } else {
      expect(upstream.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'place', schema, strict: true } });
      expect(JSON.parse(data.choices[0]!.message.content ?? '')).toEqual({ city: expect.any(String) });
      expect(warnings).toEqual([]);
    }
  });

  it.each(['low', 'medium', 'high', 'xhigh', 'max', 'off'] as const)('translates reasoning_effort %s for this host', async (effort) => {
    const { data } = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES, reasoning_effort: effort as OpenAI.ReasoningEffort }).withResponse();
    const expected = family.efforts[effort]!;
    const upstream = lastUpstream();
    expect(upstream).toMatchObject(expected.fields);
    for (const field of expected.absent ?? []) expect(upstream).not.toHaveProperty(field);
    const warned = (routingMetadataOf(data)?.warnings ?? []).some((warning) => warning.param === 'reasoning_effort');
    expect(warned).toBe(expected.warned);
    expect(data.choices[0]!.message.content).toMatch(/^This is a simulated reply/);
  });

  it('streams the reasoning of an effort request, with usage and cost on the final chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'family-model', messages: MESSAGES, reasoning_effort: 'high', stream: true });
    let reasoning = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let metadata: ReturnType<typeof routingMetadataOf>;
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as WithReasoning | undefined)?.reasoning_content ?? '';
      if (chunk.usage) usage = chunk.usage;
      metadata = routingMetadataOf(chunk) ?? metadata;
    }
    if (expectsReasoningText) expect(reasoning).toMatch(/\S/);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(metadata?.cost?.usd).toBeGreaterThan(0);
    expect(metadata?.ttft_ms).toBeGreaterThanOrEqual(0);
    if (family.streamUsageUpstream) {
      expect(usage?.prompt_tokens_details?.cached_tokens).toBe(CACHED_TOKENS);
      expect(metadata?.cost?.usd).toBe(expectedCostUsd({ prompt_tokens: usage!.prompt_tokens, completion_tokens: usage!.completion_tokens, cached_tokens: CACHED_TOKENS }, PRICE));
    }
  });
});
