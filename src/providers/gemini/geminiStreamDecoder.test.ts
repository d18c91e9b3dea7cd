import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage } from '../adapter.js';
import { GeminiStreamDecoder } from './geminiStreamDecoder.js';

const NOW = 1_767_225_999_000;

function newDecoder(): GeminiStreamDecoder {
  let next = 0;
  return new GeminiStreamDecoder({ newId: (prefix) => `${prefix}gen${++next}`, now: () => NOW });
}

function sse(data: unknown): SseMessage {
  return { event: undefined, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/** Events per message, the last entry being `end()`. */
function decodeAll(messages: readonly SseMessage[], decoder = newDecoder()): StreamEvent[][] {
  return [...messages.map((message) => decoder.decode(message)), decoder.end()];
}

const HEAD = { modelVersion: 'gemini-2.5-flash', responseId: 'q1x' };

function chunk(parts: unknown[], extra: Record<string, unknown> = {}, usage?: Record<string, unknown>): SseMessage {
  const { finishReason, ...rest } = extra;
  const candidate: Record<string, unknown> = { content: { role: 'model', parts }, index: 0, ...rest };
  if (finishReason !== undefined) candidate.finishReason = finishReason;
  return sse({ candidates: [candidate], ...(usage === undefined ? {} : { usageMetadata: usage }), ...HEAD });
}

// providers.md §4.6, verbatim
const WORKED_EXAMPLE = [
  '{"candidates":[{"content":{"role":"model","parts":[{"text":"**Planning**…","thought":true}]},"index":0}],"usageMetadata":{"promptTokenCount":1200,"totalTokenCount":1200},"modelVersion":"gemini-2.5-flash","responseId":"q1x"}',
  '{"candidates":[{"content":{"role":"model","parts":[{"text":"It is"}]},"index":0}],"usageMetadata":{"promptTokenCount":1200,"totalTokenCount":1200},"modelVersion":"gemini-2.5-flash","responseId":"q1x"}',
  '{"candidates":[{"content":{"role":"model","parts":[{"text":" 18°C in Paris."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1200,"candidatesTokenCount":9,"thoughtsTokenCount":140,"totalTokenCount":1349},"modelVersion":"gemini-2.5-flash","responseId":"q1x"}',
];

describe('GeminiStreamDecoder: the §4.6 stream', () => {
  it('decodes it event by event, reporting usage once the answer is finished', () => {
    expect(decodeAll(WORKED_EXAMPLE.map((data) => sse(data)))).toEqual([
      [
        { type: 'response-start', id: 'q1x', model: 'gemini-2.5-flash', created: 1767225999 },
        { type: 'reasoning-delta', choice: 0, text: '**Planning**…' },
      ],
      [{ type: 'text-delta', choice: 0, text: 'It is' }],
      [
        { type: 'text-delta', choice: 0, text: ' 18°C in Paris.' },
        { type: 'finish', choice: 0, reason: 'stop' },
        { type: 'usage', usage: { promptTokens: 1200, completionTokens: 149, totalTokens: 1349, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 140 } },
      ],
      [],
    ]);
  });
});

describe('GeminiStreamDecoder: tool calls', () => {
  it('turns each whole functionCall into a start (with its signature) and one delta, counting calls from 0', () => {
    const events = decodeAll([
      chunk([{ text: 'Thinking about tools', thought: true }]),
      chunk([
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG_1' },
        { functionCall: { id: 'fc_2', name: 'get_time', args: {} } },
      ]),
      chunk([{ functionCall: { name: 'ping' } }], { finishReason: 'STOP' }, { promptTokenCount: 10, candidatesTokenCount: 30, totalTokenCount: 40 }),
    ]);
    expect(events[1]).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_gen1', name: 'get_weather', extra: { extra_content: { google: { thought_signature: 'SIG_1' } } } },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city":"Paris"}' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'fc_2', name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{}' },
    ]);
    expect(events[2]).toEqual([
      { type: 'tool-call-start', choice: 0, index: 2, id: 'call_gen2', name: 'ping' },
      { type: 'tool-call-delta', choice: 0, index: 2, arguments: '{}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
      { type: 'usage', usage: { promptTokens: 10, completionTokens: 30, totalTokens: 40, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
    expect(events[3]).toEqual([]);
  });

  it('counts tool calls per candidate', () => {
    const decoder = newDecoder();
    const events = decoder.decode(
      sse({
        candidates: [
          { content: { role: 'model', parts: [{ functionCall: { name: 'a', args: {} } }] }, index: 0, finishReason: 'STOP' },
          { content: { role: 'model', parts: [{ functionCall: { name: 'b', args: {} } }] }, index: 1, finishReason: 'STOP' },
        ],
      }),
    );
    expect(events.filter((event) => event.type === 'tool-call-start').map((event) => [event.choice, event.type === 'tool-call-start' && event.index])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(events.filter((event) => event.type === 'finish')).toEqual([
      { type: 'finish', choice: 0, reason: 'tool_calls' },
      { type: 'finish', choice: 1, reason: 'tool_calls' },
    ]);
  });
});

describe('GeminiStreamDecoder: signatures, usage and odd chunks', () => {
  it('passes a signature on a text part, even an empty one at the end, as message extra', () => {
    const events = decodeAll([chunk([{ text: 'Hello' }]), chunk([{ text: '', thoughtSignature: 'TEXT_SIG' }], { finishReason: 'STOP' })]);
    expect(events[1]).toEqual([
      { type: 'message-extra', choice: 0, fields: { extra_content: { google: { thought_signature: 'TEXT_SIG' } } } },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('keeps the LAST usageMetadata, also from a usage-only chunk after the finish', () => {
    const events = decodeAll([
      chunk([{ text: 'a' }], {}, { promptTokenCount: 5, totalTokenCount: 5 }),
      chunk([{ text: 'b' }], { finishReason: 'STOP' }),
      sse({ usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, cachedContentTokenCount: 4, totalTokenCount: 7 }, ...HEAD }),
    ]);
    expect(events[1]).toEqual([
      { type: 'text-delta', choice: 0, text: 'b' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 5, completionTokens: 0, totalTokens: 5, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
    expect(events[2]).toEqual([{ type: 'usage', usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 0 } }]);
  });

  it('maps the finish reason table, MAX_TOKENS and the safety family', () => {
    expect(decodeAll([chunk([{ text: 'a' }], { finishReason: 'MAX_TOKENS' })])[0]).toContainEqual({ type: 'finish', choice: 0, reason: 'length' });
    expect(decodeAll([chunk([], { finishReason: 'SAFETY' })])[0]).toContainEqual({ type: 'finish', choice: 0, reason: 'content_filter' });
  });

  it('finishes a blocked prompt with content_filter', () => {
    const events = decodeAll([sse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 }, ...HEAD })]);
    expect(events[0]).toEqual([
      { type: 'response-start', id: 'q1x', model: 'gemini-2.5-flash', created: 1767225999 },
      { type: 'finish', choice: 0, reason: 'content_filter' },
      { type: 'usage', usage: { promptTokens: 9, completionTokens: 0, totalTokens: 9, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
    expect(events[1]).toEqual([]);
  });

  it('attaches a chunk logprobs to its first text delta', () => {
    const logprobsResult = { chosenCandidates: [{ token: 'Hi', logProbability: -0.2 }], topCandidates: [{ candidates: [{ token: 'Hi', logProbability: -0.2 }] }] };
    const events = decodeAll([chunk([{ text: 'Hi' }], { logprobsResult, finishReason: 'STOP' })]);
    expect(events[0]).toContainEqual({
      type: 'text-delta',
      choice: 0,
      text: 'Hi',
      logprobs: { content: [{ token: 'Hi', logprob: -0.2, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.2, bytes: [72, 105] }] }], refusal: null },
    });
  });

  it('mints an id when the first chunk has no responseId', () => {
    expect(newDecoder().decode(sse({ candidates: [{ content: { parts: [{ text: 'x' }] } }] }))[0]).toEqual({ type: 'response-start', id: 'chatcmpl-gen1', model: '', created: 1767225999 });
  });
});

describe('GeminiStreamDecoder: failures', () => {
  it('turns an {error} object into an error event and ignores what follows', () => {
    const decoder = newDecoder();
    const first = decoder.decode(chunk([{ text: 'partial' }]));
    expect(first).toHaveLength(2);
    const failed = decoder.decode(sse({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }));
    expect(failed).toEqual([{ type: 'error', error: expect.objectContaining({ status: 503, code: 'model_unavailable', retryable: true }) }]);
    expect(decoder.decode(chunk([{ text: 'more' }], { finishReason: 'STOP' }))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reads a status-only error object by its google.rpc code', () => {
    const events = newDecoder().decode(sse({ error: { message: 'Internal error encountered.', status: 'INTERNAL' } }));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', retryable: true }) }]);
  });

  it('reports EOF without a finishReason as an error from end()', () => {
    const events = decodeAll([chunk([{ text: 'It is' }])]);
    expect(events[1]).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error', message: expect.stringContaining('ended before the response was complete') }) }]);
  });

  it('reports a chunk that is not JSON, or not an object, as malformed', () => {
    for (const data of ['{"candidates":[', '[DONE]', '[]']) {
      expect(newDecoder().decode(sse(data))).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, code: 'upstream_error' }) }]);
    }
  });
});
