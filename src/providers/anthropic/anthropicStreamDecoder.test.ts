import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import { ChunkEncoder } from '../../protocol/openai/chunkEncoder.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import { SseReader } from '../../upstream/readSse.js';
import type { SseMessage } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { AnthropicStreamDecoder } from './anthropicStreamDecoder.js';

const NOW = 1_767_225_600_000;

/** The named-event stream of §3.6, byte for byte. */
const TOOL_CALL_STREAM = `event: message_start
data: {"type":"message_start","message":{"id":"msg_01X","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":18,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: ping
data: {"type":"ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"User wants weather"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkgIARAB…"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Let me check."}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Par"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"is\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":96}}

event: message_stop
data: {"type":"message_stop"}

`;
const effects: AdapterEffects = { newId: (prefix) => `${prefix}gen`, now: () => NOW };

function chatRequest(fields: Record<string, unknown> = {}): ChatRequest {
  return validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, ...fields }).request;
}

function sse(text: string): SseMessage[] {
  return new SseReader().feed(text);
}

/** Events per upstream SSE event, then what end() adds. */
function decodeEach(text: string, request: ChatRequest = chatRequest()): { perEvent: StreamEvent[][]; end: StreamEvent[] } {
  const decoder = new AnthropicStreamDecoder(request, effects);
  const perEvent = sse(text).map((message) => decoder.decode(message));
  return { perEvent, end: decoder.end() };
}

function decodeAll(text: string, request?: ChatRequest): StreamEvent[] {
  const { perEvent, end } = decodeEach(text, request);
  return [...perEvent.flat(), ...end];
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const START = event('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } });
const STOP = event('message_stop', {});

describe('AnthropicStreamDecoder: the §3.6 transcript, event by event', () => {
  it('produces exactly these stream events', () => {
    const { perEvent, end } = decodeEach(TOOL_CALL_STREAM);
    expect(perEvent).toEqual([
      [
        { type: 'response-start', id: 'msg_01X', model: 'claude-sonnet-4-5-20250929', created: 1767225600 },
        { type: 'usage', usage: { promptTokens: 2066, completionTokens: 1, totalTokens: 2067, cachedTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 0 } },
      ],
      [],
      [],
      [{ type: 'reasoning-delta', choice: 0, text: 'User wants weather' }],
      [],
      [{ type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'EqQBCkgIARAB…' }] } }],
      [],
      [{ type: 'text-delta', choice: 0, text: 'Let me check.' }],
      [],
      [{ type: 'tool-call-start', choice: 0, index: 0, id: 'toolu_01A', name: 'get_weather' }],
      [],
      [{ type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city": "Par' }],
      [{ type: 'tool-call-delta', choice: 0, index: 0, arguments: 'is"}' }],
      [],
      [
        { type: 'finish', choice: 0, reason: 'tool_calls' },
        { type: 'usage', usage: { promptTokens: 2066, completionTokens: 96, totalTokens: 2162, cachedTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 0 } },
      ],
      [],
    ]);
    expect(end).toEqual([]);
  });

  it('encodes to the OpenAI chunks of §11.2', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: false });
    const text = decodeAll(TOOL_CALL_STREAM).map((item) => encoder.encode(item)).join('');
    const choices = text
      .split('\n\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line.slice('data: '.length)) as { choices: { delta: unknown; finish_reason: unknown }[] }).choices.map((choice) => ({ delta: choice.delta, finish_reason: choice.finish_reason })));
    expect(choices).toEqual([
      [{ delta: { role: 'assistant', content: '' }, finish_reason: null }],
      [{ delta: { reasoning_content: 'User wants weather' }, finish_reason: null }],
      [{ delta: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'EqQBCkgIARAB…' }] }, finish_reason: null }],
      [{ delta: { content: 'Let me check.' }, finish_reason: null }],
      [{ delta: { tool_calls: [{ index: 0, id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }],
      [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"city": "Par' } }] }, finish_reason: null }],
      [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }, finish_reason: null }],
      [{ delta: {}, finish_reason: 'tool_calls' }],
    ]);
  });
});

describe('AnthropicStreamDecoder: blocks', () => {
  it('counts tool calls, not content blocks, and gives a call without input deltas its start input or {}', () => {
    const events = decodeAll(
      START +
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Two calls.' } }) +
        event('content_block_stop', { index: 0 }) +
        event('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'now', input: {} } }) +
        event('content_block_stop', { index: 1 }) +
        event('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'find', input: { q: 'x' } } }) +
        event('content_block_stop', { index: 2 }) +
        event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 20 } }) +
        STOP,
    );
    expect(events.filter((item) => item.type.startsWith('tool'))).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'toolu_a', name: 'now' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{}' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'toolu_b', name: 'find' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{"q":"x"}' },
    ]);
  });

  it('hands over a redacted thinking block whole, at its start', () => {
    const events = decodeAll(START + event('content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' } }) + event('content_block_stop', { index: 0 }) + event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) + STOP);
    expect(events.filter((item) => item.type === 'message-extra')).toEqual([{ type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'redacted_thinking', data: 'EmwKAhgB' }] } }]);
  });

  it('ignores server-tool blocks, citations deltas, pings and unknown events', () => {
    const events = decodeAll(
      START +
        event('content_block_start', { index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } }) +
        event('content_block_stop', { index: 0 }) +
        event('content_block_start', { index: 1, content_block: { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] } }) +
        event('content_block_stop', { index: 1 }) +
        event('content_block_start', { index: 2, content_block: { type: 'text', text: '' } }) +
        event('content_block_delta', { index: 2, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location' } } }) +
        event('content_block_delta', { index: 2, delta: { type: 'text_delta', text: 'Found.' } }) +
        event('ping', {}) +
        event('compaction_progress', { detail: 1 }) +
        event('content_block_stop', { index: 2 }) +
        event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) +
        STOP,
    );
    expect(events.map((item) => item.type)).toEqual(['response-start', 'usage', 'text-delta', 'finish', 'usage']);
  });

  it('streams the JSON-mode emulation tool as content and finishes with stop', () => {
    const request = chatRequest({ response_format: { type: 'json_object' } });
    const events = decodeAll(
      START +
        event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_j', name: 'json_response', input: {} } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"ok":' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: ' true}' } }) +
        event('content_block_stop', { index: 0 }) +
        event('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) +
        STOP,
      request,
    );
    expect(events.slice(2)).toEqual([
      { type: 'text-delta', choice: 0, text: '{"ok":' },
      { type: 'text-delta', choice: 0, text: ' true}' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 5, completionTokens: 9, totalTokens: 14, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('unwraps a wrapped non-object JSON answer at the block end', () => {
    const request = chatRequest({ response_format: { type: 'json_schema', json_schema: { name: 'l', schema: { type: 'array' } } } });
    const events = decodeAll(
      START +
        event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_j', name: 'json_response', input: {} } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"value": [1,' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: ' 2]}' } }) +
        event('content_block_stop', { index: 0 }) +
        event('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) +
        STOP,
      request,
    );
    expect(events.filter((item) => item.type === 'text-delta')).toEqual([{ type: 'text-delta', choice: 0, text: '[1,2]' }]);
  });
});

describe('AnthropicStreamDecoder: usage and finish', () => {
  it('takes the last cumulative counts, preferring non-null ones from message_delta, with cache writes and thinking tokens', () => {
    const events = decodeAll(
      event('message_start', { message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 10, cache_creation_input_tokens: 1500, cache_read_input_tokens: 0, output_tokens: 1 } } }) +
        event('message_delta', { delta: { stop_reason: null }, usage: { output_tokens: 40 } }) +
        event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 12, cache_creation_input_tokens: null, cache_read_input_tokens: 100, output_tokens: 90, output_tokens_details: { thinking_tokens: 50 } } }) +
        STOP,
    );
    const usages = events.filter((item) => item.type === 'usage').map((item) => (item.type === 'usage' ? item.usage : undefined));
    expect(usages.at(-1)).toEqual({ promptTokens: 1612, completionTokens: 90, totalTokens: 1702, cachedTokens: 100, cacheWriteTokens: 1500, reasoningTokens: 50 });
    expect(events.filter((item) => item.type === 'finish')).toEqual([{ type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it('finishes on message_stop when no message_delta said why, and emits one finish only', () => {
    expect(decodeAll(START + STOP).map((item) => item.type)).toEqual(['response-start', 'usage', 'finish']);
    const twice = decodeAll(START + event('message_delta', { delta: { stop_reason: 'max_tokens' } }) + event('message_delta', { delta: { stop_reason: 'end_turn' } }) + STOP);
    expect(twice.filter((item) => item.type === 'finish')).toEqual([{ type: 'finish', choice: 0, reason: 'length' }]);
  });

  it('ignores anything after message_stop', () => {
    const { perEvent } = decodeEach(START + STOP + event('content_block_start', { index: 0, content_block: { type: 'text', text: 'late' } }));
    expect(perEvent[2]).toEqual([]);
  });
});

describe('AnthropicStreamDecoder: failures', () => {
  it('classifies an overloaded_error event as a retryable 503 model_unavailable and stops', () => {
    const { perEvent, end } = decodeEach(START + event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }) + STOP);
    const failure = perEvent[1]?.[0];
    expect(failure?.type).toBe('error');
    expect(failure?.type === 'error' ? failure.error : undefined).toMatchObject({ status: 503, code: 'model_unavailable', retryable: true, message: expect.stringContaining('Overloaded') });
    expect(perEvent[2]).toEqual([]);
    expect(end).toEqual([]);
  });

  it.each<[string, number, string]>([
    ['rate_limit_error', 429, 'rate_limit_exceeded'],
    ['api_error', 502, 'upstream_error'],
    ['invalid_request_error', 400, 'invalid_request'],
    ['something_new', 502, 'upstream_error'],
  ])('classifies a %s event as %i %s', (type, status, code) => {
    const events = decodeAll(START + event('error', { error: { type, message: 'm' } }));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status, code } });
  });

  it('reports a stream that ends before message_stop from end()', () => {
    const { end } = decodeEach(START + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    expect(end).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', retryable: true }) }]);
  });

  it('reports an event that is not JSON', () => {
    const events = decodeAll('event: content_block_delta\ndata: {"type":"content_bl\n\n');
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error' }) }]);
  });

  it('starts the response even if the first event is not message_start', () => {
    const events = decodeAll(event('content_block_start', { index: 0, content_block: { type: 'text', text: 'Hi' } }) + STOP);
    expect(events).toEqual([
      { type: 'response-start', id: 'msg_gen', model: '', created: 1767225600 },
      { type: 'text-delta', choice: 0, text: 'Hi' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });
});
