import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage, StreamDecoder } from '../../providers/adapter.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { ReasoningMemory } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';
import { watchReasoning } from './watchReasoning.js';

const TOOL = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } };
const WITH_TOOLS = validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [TOOL] }).request;
const SIGNED = { google: { thought_signature: 'dGhvdWdodA==' } };

/** A decoder that plays one list of events per SSE message (the message data is the index), and `ending` at the end. */
function scripted(batches: StreamEvent[][], ending: StreamEvent[] = []): StreamDecoder {
  return { decode: (message: SseMessage) => batches[Number(message.data)] ?? [], end: () => ending };
}

function run(decoder: StreamDecoder, request: ChatRequest, count: number): RememberedReasoning[] {
  const stored: RememberedReasoning[] = [];
  const memory: ReasoningMemory = { remember: (_scope, reasoning) => stored.push(reasoning), recall: () => [] };
  const watched = watchReasoning(decoder, request, memory, 'key_a');
  for (let index = 0; index < count; index++) watched.decode({ event: undefined, data: String(index) });
  watched.end();
  return stored;
}

describe('watchReasoning', () => {
  it('returns the decoder itself for a request without tools', () => {
    const decoder = scripted([]);
    const memory: ReasoningMemory = { remember: () => undefined, recall: () => [] };
    const request = validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }).request;
    expect(watchReasoning(decoder, request, memory, 'key_a')).toBe(decoder);
  });

  it('remembers signed thinking blocks, the streamed reasoning they need, and the calls at the end of the stream', () => {
    const batches: StreamEvent[][] = [
      [{ type: 'response-start', id: 'msg', model: 'm', created: 0 }, { type: 'reasoning-delta', choice: 0, text: 'Let me ' }],
      [{ type: 'reasoning-delta', choice: 0, text: 'think.' }, { type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'one' }] } }],
      [{ type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'redacted_thinking', data: 'two' }] } }],
      [{ type: 'tool-call-start', choice: 0, index: 0, id: 'toolu_1', name: 'get_weather' }, { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{}' }],
      [{ type: 'finish', choice: 0, reason: 'tool_calls' }],
    ];
    expect(run(scripted(batches), WITH_TOOLS, batches.length)).toEqual([
      {
        toolCalls: [{ id: 'toolu_1', name: 'get_weather' }],
        fields: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'one' }, { type: 'redacted_thinking', data: 'two' }], reasoning_content: 'Let me think.' },
      },
    ]);
  });

  it('remembers per-call extras of each choice', () => {
    const batches: StreamEvent[][] = [
      [
        { type: 'tool-call-start', choice: 1, index: 0, id: 'call_1', name: 'get_weather', extra: { extra_content: SIGNED } },
        { type: 'tool-call-start', choice: 1, index: 1, id: 'call_2', name: 'get_weather' },
        { type: 'tool-call-start', choice: 0, index: 0, id: 'call_0', name: 'get_weather' },
        { type: 'reasoning-delta', choice: 0, text: 'Unsigned summary.' },
      ],
    ];
    expect(run(scripted(batches), WITH_TOOLS, 1)).toEqual([
      { toolCalls: [{ id: 'call_1', name: 'get_weather', fields: { extra_content: SIGNED } }, { id: 'call_2', name: 'get_weather' }], fields: {} },
      { toolCalls: [{ id: 'call_0', name: 'get_weather' }], fields: { reasoning_content: 'Unsigned summary.' } },
    ]);
  });

  it('remembers nothing from a stream that reported an error, during it or at its end', () => {
    const calls: StreamEvent[] = [
      { type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'redacted_thinking', data: 'x' }] } },
      { type: 'tool-call-start', choice: 0, index: 0, id: 'toolu_1', name: 'get_weather' },
    ];
    const failure: StreamEvent = { type: 'error', error: invalidParameter('x', 'broken') };
    expect(run(scripted([calls, [failure]]), WITH_TOOLS, 2)).toEqual([]);
    expect(run(scripted([calls], [failure]), WITH_TOOLS, 1)).toEqual([]);
    expect(run(scripted([calls]), WITH_TOOLS, 1)).toHaveLength(1);
  });
});
