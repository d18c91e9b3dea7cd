import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage } from '../adapter.js';
import { OpenAIStreamDecoder } from './openaiStreamDecoder.js';

const NOW = 1_767_225_999_000;

function newDecoder(): OpenAIStreamDecoder {
  let next = 0;
  return new OpenAIStreamDecoder({ newId: (prefix) => `${prefix}gen${++next}`, now: () => NOW });
}

function sse(data: unknown, event?: string): SseMessage {
  return { event, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/** Feeds every message and `end()`, returning the events per message (the last entry is `end()`). */
function decodeAll(messages: readonly SseMessage[], decoder = newDecoder()): StreamEvent[][] {
  return [...messages.map((message) => decoder.decode(message)), decoder.end()];
}

function flat(messages: readonly SseMessage[]): StreamEvent[] {
  return decodeAll(messages).flat();
}

const HEAD = { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1767225600, model: 'm' };

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, index = 0): SseMessage {
  return sse({ ...HEAD, choices: [{ index, delta, logprobs: null, finish_reason: finishReason }] });
}

function toolChunk(calls: unknown[]): SseMessage {
  return chunk({ tool_calls: calls });
}

const START: StreamEvent = { type: 'response-start', id: 'chatcmpl-7', model: 'm', created: 1767225600 };
const FINISH_STOP = chunk({}, 'stop');
const DONE = sse('[DONE]');

// providers.md §11.1, verbatim
const WORKED_EXAMPLE = [
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-5.2-2025-12-11","service_tier":"default","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-5.2-2025-12-11","service_tier":"default","choices":[{"index":0,"delta":{"content":"4"},"logprobs":null,"finish_reason":null}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-5.2-2025-12-11","service_tier":"default","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}',
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-5.2-2025-12-11","service_tier":"default","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":18,"total_tokens":37,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":16}}}',
  '[DONE]',
];

describe('OpenAIStreamDecoder: the §11.1 stream', () => {
  it('decodes it event by event', () => {
    expect(decodeAll(WORKED_EXAMPLE.map((data) => sse(data)))).toEqual([
      [{ type: 'response-start', id: 'chatcmpl-1', model: 'gpt-5.2-2025-12-11', created: 1767225600, serviceTier: 'default' }],
      [{ type: 'text-delta', choice: 0, text: '4' }],
      [{ type: 'finish', choice: 0, reason: 'stop' }],
      [{ type: 'usage', usage: { promptTokens: 19, completionTokens: 18, totalTokens: 37, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 16 } }],
      [],
      [],
    ]);
  });

  it('ignores anything after [DONE]', () => {
    const decoder = newDecoder();
    for (const data of WORKED_EXAMPLE) decoder.decode(sse(data));
    expect(decoder.decode(chunk({ content: 'late' }))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('is content with a finish and no [DONE]', () => {
    expect(decodeAll([chunk({ content: 'a' }), FINISH_STOP]).at(-1)).toEqual([]);
  });
});

describe('OpenAIStreamDecoder: response-start', () => {
  it('carries system_fingerprint (also null) and service tier', () => {
    expect(newDecoder().decode(sse({ ...HEAD, system_fingerprint: 'fp_1', service_tier: 'priority', choices: [] }))).toEqual([
      { ...START, systemFingerprint: 'fp_1', serviceTier: 'priority' },
    ]);
    expect(newDecoder().decode(sse({ ...HEAD, system_fingerprint: null, choices: [] }))).toEqual([{ ...START, systemFingerprint: null }]);
  });

  it('synthesises id and created when the first chunk lacks them, and is emitted once', () => {
    const decoder = newDecoder();
    expect(decoder.decode(sse({ choices: [{ index: 0, delta: { content: 'a' } }] }))).toEqual([
      { type: 'response-start', id: 'chatcmpl-gen1', model: '', created: 1767225999 },
      { type: 'text-delta', choice: 0, text: 'a' },
    ]);
    expect(decoder.decode(chunk({ content: 'b' }))).toEqual([{ type: 'text-delta', choice: 0, text: 'b' }]);
  });
});

describe('OpenAIStreamDecoder: deltas', () => {
  it('turns reasoning_content (DeepSeek) and reasoning (vLLM, Groq) into reasoning deltas, before content', () => {
    expect(flat([chunk({ role: 'assistant', content: '' }), chunk({ reasoning_content: 'Think' }), chunk({ reasoning: 'ing' }), chunk({ reasoning_content: null, content: 'Done' }), FINISH_STOP])).toEqual([
      START,
      { type: 'reasoning-delta', choice: 0, text: 'Think' },
      { type: 'reasoning-delta', choice: 0, text: 'ing' },
      { type: 'text-delta', choice: 0, text: 'Done' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('emits reasoning before content when one delta carries both', () => {
    expect(newDecoder().decode(chunk({ reasoning_content: 'r', content: 'c' })).slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'r' },
      { type: 'text-delta', choice: 0, text: 'c' },
    ]);
  });

  it('emits refusal deltas', () => {
    expect(newDecoder().decode(chunk({ refusal: 'No.' })).slice(1)).toEqual([{ type: 'refusal-delta', choice: 0, text: 'No.' }]);
  });

  it('passes text logprobs along', () => {
    const logprobs = { content: [{ token: 'Hi', logprob: -0.01, bytes: [72, 105], top_logprobs: [] }] };
    const message = sse({ ...HEAD, choices: [{ index: 0, delta: { content: 'Hi' }, logprobs, finish_reason: null }] });
    expect(newDecoder().decode(message).slice(1)).toEqual([{ type: 'text-delta', choice: 0, text: 'Hi', logprobs }]);
  });

  it('keeps every character of content exactly', () => {
    const text = 'line1\n"quoted" \\ tab\t ünïcødé 🌍 \u2028';
    expect(newDecoder().decode(chunk({ content: text })).slice(1)).toEqual([{ type: 'text-delta', choice: 0, text }]);
  });

  it('decodes two choices (n=2) with their own indexes and finishes', () => {
    const events = flat([
      sse({ ...HEAD, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }, { index: 1, delta: { role: 'assistant', content: '' } }] }),
      chunk({ content: 'A' }, null, 0),
      chunk({ content: 'B' }, null, 1),
      sse({ ...HEAD, choices: [{ index: 1, delta: {}, finish_reason: 'length' }, { index: 0, delta: {}, finish_reason: 'stop' }] }),
    ]);
    expect(events).toEqual([
      START,
      { type: 'text-delta', choice: 0, text: 'A' },
      { type: 'text-delta', choice: 1, text: 'B' },
      { type: 'finish', choice: 1, reason: 'length' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('reports a choice finish only once', () => {
    expect(flat([FINISH_STOP, chunk({}, 'length')]).filter((event) => event.type === 'finish')).toEqual([{ type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it.each<[string, string]>([
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['model_length', 'length'],
    ['insufficient_system_resource', 'length'],
    ['something_new', 'stop'],
  ])('maps finish reason %s to %s', (reason, mapped) => {
    expect(newDecoder().decode(chunk({}, reason))).toEqual([START, { type: 'finish', choice: 0, reason: mapped }]);
  });
});

describe('OpenAIStreamDecoder: usage', () => {
  it('reads usage from the usage-only chunk and ignores usage: null', () => {
    const usageChunk = sse({ ...HEAD, choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 3 } } });
    expect(flat([chunk({ content: 'x' }), FINISH_STOP, usageChunk, DONE]).filter((event) => event.type === 'usage')).toEqual([
      { type: 'usage', usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7, cachedTokens: 3, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('reads Groq usage from x_groq.usage on the last chunk (§11.5)', () => {
    const last = {
      id: 'chatcmpl-7',
      object: 'chat.completion.chunk',
      created: 1767225600,
      model: 'openai/gpt-oss-120b',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }],
      x_groq: { id: 'req_01', usage: { queue_time: 0.01, prompt_tokens: 70, prompt_time: 0.003, completion_tokens: 25, completion_time: 0.05, total_tokens: 95, total_time: 0.053 } },
    };
    expect(newDecoder().decode(sse(last))).toEqual([
      { type: 'response-start', id: 'chatcmpl-7', model: 'openai/gpt-oss-120b', created: 1767225600 },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 70, completionTokens: 25, totalTokens: 95, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('reads DeepSeek cache hits from a streamed usage chunk', () => {
    const events = newDecoder().decode(sse({ ...HEAD, choices: [], usage: { prompt_tokens: 210, completion_tokens: 22, total_tokens: 232, prompt_cache_hit_tokens: 192, prompt_cache_miss_tokens: 18, completion_tokens_details: { reasoning_tokens: 9 } } }));
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 0, reasoningTokens: 9 } });
  });
});

describe('OpenAIStreamDecoder: tool calls', () => {
  it('starts a call on its first fragment (id and name) and streams arguments as deltas', () => {
    expect(
      flat([
        chunk({ role: 'assistant', content: null }),
        toolChunk([{ index: 0, id: 'call_9f2', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
        toolChunk([{ index: 0, function: { arguments: '{"city": "Par' } }]),
        toolChunk([{ index: 0, function: { arguments: 'is"}' } }]),
        chunk({}, 'tool_calls'),
        DONE,
      ]),
    ).toEqual([
      START,
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_9f2', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city": "Par' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: 'is"}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
  });

  it('emits start and arguments when the first fragment carries both', () => {
    expect(newDecoder().decode(toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }])).slice(1)).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{}' },
    ]);
  });

  it('keeps interleaved parallel calls apart by index', () => {
    expect(
      flat([
        toolChunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }]),
        toolChunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } }]),
        toolChunk([{ index: 0, function: { arguments: '{"x":' } }, { index: 1, function: { arguments: '{"y":' } }]),
        toolChunk([{ index: 1, function: { arguments: '2}' } }]),
        toolChunk([{ index: 0, function: { arguments: '1}' } }]),
        chunk({}, 'tool_calls'),
      ]).slice(1),
    ).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'a' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'call_b', name: 'b' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"x":' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{"y":' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '2}' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '1}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
  });

  it('counts calls from 0 per choice even when the host numbers them differently', () => {
    expect(
      flat([
        toolChunk([{ index: 3, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' } }]),
        toolChunk([{ index: 7, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{}' } }]),
        chunk({}, 'tool_calls'),
      ])
        .filter((event) => event.type === 'tool-call-start')
        .map((event) => (event.type === 'tool-call-start' ? [event.index, event.id] : [])),
    ).toEqual([
      [0, 'call_a'],
      [1, 'call_b'],
    ]);
  });

  it('starts a new call when a host reuses index 0 with a new id', () => {
    expect(
      flat([
        toolChunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"q":1}' } }]),
        toolChunk([{ index: 0, id: 'call_a', function: { arguments: '' } }]),
        toolChunk([{ index: 0, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"q":' } }]),
        toolChunk([{ index: 0, function: { arguments: '2}' } }]),
        chunk({}, 'tool_calls'),
      ]).slice(1),
    ).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'a' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"q":1}' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'call_b', name: 'b' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{"q":' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '2}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
  });

  it('synthesises ids with newId when the host sends none, and index 0 when it sends no index', () => {
    expect(
      flat([
        toolChunk([{ type: 'function', function: { name: 'a', arguments: '{"x"' } }]),
        toolChunk([{ function: { arguments: ':1}' } }]),
        toolChunk([{ index: 1, function: { name: 'b', arguments: { y: 2 } } }]),
        chunk({}, 'tool_calls'),
      ]).slice(1),
    ).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_gen1', name: 'a' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"x"' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: ':1}' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'call_gen2', name: 'b' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{"y":2}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
  });

  it('passes unknown tool-call fields of the first fragment as extra (signatures)', () => {
    expect(newDecoder().decode(toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' }, extra_content: { google: { thought_signature: 'sig' } } }])).slice(1)).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f', extra: { extra_content: { google: { thought_signature: 'sig' } } } },
    ]);
  });

  it('skips null and non-object tool-call items', () => {
    expect(newDecoder().decode(toolChunk([null, 'x', { index: 0, id: 'call_1', function: { name: 'f' } }])).slice(1)).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f' },
    ]);
  });

  it('counts tool calls separately per choice', () => {
    const events = flat([
      sse({ ...HEAD, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '' } }] } }, { index: 1, delta: { tool_calls: [{ index: 0, id: 'call_b', function: { name: 'b', arguments: '' } }] } }] }),
      sse({ ...HEAD, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }, { index: 1, delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
    expect(events.filter((event) => event.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'a' },
      { type: 'tool-call-start', choice: 1, index: 0, id: 'call_b', name: 'b' },
    ]);
  });

  it('decodes a legacy function_call delta as tool call 0', () => {
    expect(flat([chunk({ role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '' } }), chunk({ function_call: { arguments: '{"city":"Paris"}' } }), chunk({}, 'function_call')]).slice(1)).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_gen1', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city":"Paris"}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
  });
});

describe('OpenAIStreamDecoder: failures', () => {
  it('turns a mid-stream {"error": ...} into one error event and stops', () => {
    const decoder = newDecoder();
    expect(decoder.decode(chunk({ content: 'partial' }))).toHaveLength(2);
    const events = decoder.decode(sse({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ name: 'GatewayError', status: 502, code: 'upstream_error', retryable: true }) }]);
    expect(decoder.decode(chunk({ content: 'more' }))).toEqual([]);
    expect(decoder.decode(FINISH_STOP)).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('classifies a vLLM stream error with a numeric code (context overflow)', () => {
    const events = newDecoder().decode(sse({ error: { message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 } }));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 400, code: 'context_length_exceeded', nextModel: true }) }]);
  });

  it('treats an SSE event named error as an error', () => {
    const events = newDecoder().decode(sse({ message: 'Overloaded' }, 'error'));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', message: expect.stringContaining('Overloaded') }) }]);
  });

  it.each<[string, string]>([
    ['truncated JSON', '{"id":"chatcmpl-1","choices":[{"ind'],
    ['plain text', 'upstream connect error'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
  ])('turns %s into a 502 upstream_error and stops', (_name, data) => {
    const decoder = newDecoder();
    decoder.decode(chunk({ content: 'a' }));
    expect(decoder.decode(sse(data))).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', retryable: true }) }]);
    expect(decoder.decode(FINISH_STOP)).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports a stream that ends before any finish from end()', () => {
    const decoder = newDecoder();
    decoder.decode(chunk({ content: 'Hel' }));
    decoder.decode(DONE);
    expect(decoder.end()).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', retryable: true, message: expect.stringContaining('ended before') }) }]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports an empty stream from end()', () => {
    expect(newDecoder().end()).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'upstream_error' }) }]);
  });

  it('turns finish_reason "error" (Mistral) into an error and drops the rest of that chunk', () => {
    const decoder = newDecoder();
    const events = decoder.decode(sse({ ...HEAD, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'error' }], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    expect(events).toEqual([START, { type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error' }) }]);
    expect(decoder.decode(chunk({ content: 'more' }))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });
});
