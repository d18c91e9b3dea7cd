import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, MESSAGES, routingMetadataOf, TIME_TOOL, WEATHER_TOOL } from './conformanceSupport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into the native bodies the simulator recorded
type Json = Record<string, any>;
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
type SignedCall = FunctionCall & { extra_content?: { google?: { thought_signature?: string } } };

const TOOLS = [WEATHER_TOOL, TIME_TOOL];
const PRICE = { input: 1, output: 2 };

/** Turn 1 of a tool loop, streamed (accumulated by the client) or not; also the reasoning text the client saw. */
async function firstTurn(client: OpenAI, request: Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'stream'>, stream: boolean): Promise<{ message: OpenAI.Chat.ChatCompletionMessage; reasoning: string }> {
  if (!stream) {
    const message = (await client.chat.completions.create(request)).choices[0]!.message;
    return { message, reasoning: (message as { reasoning_content?: string }).reasoning_content ?? '' };
  }
  let reasoning = '';
  const runner = client.chat.completions.stream(request);
  runner.on('chunk', (chunk) => {
    reasoning += ((chunk.choices[0]?.delta ?? {}) as { reasoning_content?: string }).reasoning_content ?? '';
  });
  return { message: (await runner.finalChatCompletion()).choices[0]!.message, reasoning };
}

/** The assistant message as an OpenAI-only client rebuilds it: role, content and tool calls, nothing else. */
function rebuilt(message: OpenAI.Chat.ChatCompletionMessage): OpenAI.Chat.ChatCompletionAssistantMessageParam {
  const calls = (message.tool_calls ?? []) as FunctionCall[];
  return { role: 'assistant', content: message.content, tool_calls: calls.map(({ id, type, function: { name, arguments: args } }) => ({ id, type, function: { name, arguments: args } })) };
}

function results(message: OpenAI.Chat.ChatCompletionMessage): OpenAI.Chat.ChatCompletionToolMessageParam[] {
  return ((message.tool_calls ?? []) as FunctionCall[]).map((call) => ({ role: 'tool', tool_call_id: call.id, content: '{"ok":true}' }));
}

function lastUpstream(stack: Stack): RecordedRequest {
  const recorded = stack.simulator.requests.at(-1);
  if (recorded === undefined) throw new Error('nothing reached the simulator');
  return recorded;
}

describe('reasoning a client dropped from its tool-call turn is put back by the gateway', () => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'claude', apiKey: 'sk-ant-reasoning-0123456789' }, { id: 'google', apiKey: 'AIza-reasoning-key' }],
      models: {
        'claude-sonnet-4-5': [{ profile: 'claude', type: 'anthropic', upstreamModel: 'claude-sonnet-4-5-20250929', price: PRICE }],
        'gemini-3-flash': [{ profile: 'google', type: 'gemini', upstreamModel: 'gemini-3.5-flash', price: PRICE }],
      },
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

  it.each([false, true])('Anthropic: the signed thinking block goes back on the tool-use turn (turn 1 streamed: %s)', async (stream) => {
    const request = { model: 'claude-sonnet-4-5', messages: MESSAGES, tools: TOOLS, reasoning_effort: 'low' as const };
    const { message, reasoning } = await firstTurn(client, request, stream);
    const blocks = (message as { thinking_blocks?: Json[] }).thinking_blocks;
    expect(blocks).toEqual([{ type: 'thinking', thinking: stream ? '' : reasoning, signature: expect.any(String) }]);
    expect(message.tool_calls).toHaveLength(1);
    expect(reasoning).not.toBe('');

    const second = await client.chat.completions.create({ ...request, messages: [...MESSAGES, rebuilt(message), ...results(message)] });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const assistant = (lastUpstream(stack).body as Json).messages[1] as Json;
    // The whole block, text and signature as Anthropic signed them (the simulator refuses a changed block).
    expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: reasoning, signature: blocks![0]!.signature });
    expect(assistant.content[1]).toMatchObject({ type: 'tool_use', id: message.tool_calls![0]!.id });
  });

  it.each([false, true])('Gemini 3: the real thought signature goes back instead of the placeholder (turn 1 streamed: %s)', async (stream) => {
    stack.simulator.script({ behaviour: { toolCalls: 2 }, times: 1 });
    const request = { model: 'gemini-3-flash', messages: MESSAGES, tools: TOOLS };
    const { message } = await firstTurn(client, request, stream);
    const calls = (message.tool_calls ?? []) as SignedCall[];
    expect(calls).toHaveLength(2);
    const signature = calls[0]!.extra_content?.google?.thought_signature;
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const second = await client.chat.completions.create({ ...request, messages: [...MESSAGES, rebuilt(message), ...results(message)] });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(routingMetadataOf(second)!.warnings).toBeUndefined();
    const model = ((lastUpstream(stack).body as Json).contents as Json[])[1]!;
    expect(model.parts[0].thoughtSignature).toBe(signature);
    expect(model.parts[1]).not.toHaveProperty('thoughtSignature');
  });

  it('sends what the client echoed unchanged, and leaves calls it does not know alone', async () => {
    const request = { model: 'gemini-3-flash', messages: MESSAGES, tools: TOOLS };
    const { message } = await firstTurn(client, request, false);
    // Another signature the simulator accepts, different from the remembered one.
    const own = Buffer.from('sim-thought:echoed-by-the-client:0', 'utf8').toString('base64');
    const echoed = { ...rebuilt(message), tool_calls: rebuilt(message).tool_calls!.map((call, index) => (index === 0 ? { ...call, extra_content: { google: { thought_signature: own } } } : call)) };
    await client.chat.completions.create({ ...request, messages: [...MESSAGES, echoed as OpenAI.Chat.ChatCompletionAssistantMessageParam, ...results(message)] });
    expect(((lastUpstream(stack).body as Json).contents as Json[])[1]!.parts[0].thoughtSignature).toBe(own);

    const unknown = { ...rebuilt(message), tool_calls: [{ ...rebuilt(message).tool_calls![0]!, id: 'call_never_seen' }] };
    const { data } = await client.chat.completions
      .create({ ...request, messages: [...MESSAGES, unknown, { role: 'tool', tool_call_id: 'call_never_seen', content: '{}' }] })
      .withResponse();
    expect(routingMetadataOf(data)!.warnings).toEqual([expect.objectContaining({ param: 'messages[2].tool_calls[0]' })]);
    expect(((lastUpstream(stack).body as Json).contents as Json[])[1]!.parts[0].thoughtSignature).toBe('skip_thought_signature_validator');
  });
});
