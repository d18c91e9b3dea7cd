import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/gatewayError.js';
import type { RoutingMetadata } from '../../core/routingMetadata.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { Usage } from '../../core/usage.js';
import { ChunkEncoder } from './chunkEncoder.js';

type Chunk = Record<string, unknown> & { choices: Record<string, unknown>[] };

/** Splits SSE text into events; every event must be one `data:` line of JSON (or `[DONE]`). */
function parseSse(text: string): (Chunk | '[DONE]')[] {
  if (text === '') return [];
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      const data = event.slice('data: '.length);
      expect(data).not.toContain('\n');
      return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Chunk);
    });
}

function encodeAll(events: readonly StreamEvent[], legacyFunctions = false): { encoder: ChunkEncoder; chunks: (Chunk | '[DONE]')[] } {
  const encoder = new ChunkEncoder({ legacyFunctions });
  const chunks = events.flatMap((event) => parseSse(encoder.encode(event)));
  return { encoder, chunks };
}

/** Only the `choices[0]` of each chunk, which is what most assertions are about. */
function choicesOf(chunks: readonly (Chunk | '[DONE]')[]): Record<string, unknown>[] {
  return chunks.map((chunk) => (chunk === '[DONE]' ? { done: true } : (chunk.choices[0] ?? { empty: true })));
}

const START: StreamEvent = { type: 'response-start', id: 'chatcmpl-1', model: 'gpt-5.2-2025-12-11', created: 1767225600 };
const COMMON = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1767225600, model: 'gpt-5.2-2025-12-11' };
const USAGE: Usage = { promptTokens: 19, completionTokens: 18, totalTokens: 37, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 16 };
const METADATA: RoutingMetadata = { provider: 'openai', provider_model_id: 'gpt-5.2', model_canonical: 'gpt-5.2', routing_strategy: 'cost-focus', cost: { usd: 0.0002 }, ttft_ms: 120 };

const roleChoice = (index: number) => ({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
const deltaChoice = (index: number, delta: Record<string, unknown>) => ({ index, delta, logprobs: null, finish_reason: null });

describe('ChunkEncoder: the §11.1 reply', () => {
  it('re-encodes the worked example chunk by chunk, with usage and routing metadata at the end', () => {
    const { encoder, chunks } = encodeAll([
      { ...START, serviceTier: 'default' },
      { type: 'text-delta', choice: 0, text: '4' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: USAGE },
    ]);
    const all = [...chunks, ...parseSse(encoder.finish(USAGE, METADATA))];
    const common = { ...COMMON, service_tier: 'default' };
    expect(all).toEqual([
      { ...common, choices: [roleChoice(0)], usage: null },
      { ...common, choices: [deltaChoice(0, { content: '4' })], usage: null },
      { ...common, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null },
      {
        ...common,
        choices: [],
        usage: { prompt_tokens: 19, completion_tokens: 18, total_tokens: 37, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 16 } },
        routing_metadata: METADATA,
      },
      '[DONE]',
    ]);
  });
});

describe('ChunkEncoder: chunks', () => {
  it('sends the role chunk with response-start, and only once', () => {
    const { chunks } = encodeAll([START, { type: 'text-delta', choice: 0, text: 'a' }, { type: 'text-delta', choice: 0, text: 'b' }]);
    expect(choicesOf(chunks)).toEqual([roleChoice(0), deltaChoice(0, { content: 'a' }), deltaChoice(0, { content: 'b' })]);
  });

  it('repeats id, object, created, model, service_tier and system_fingerprint on every chunk', () => {
    const { encoder, chunks } = encodeAll([{ ...START, systemFingerprint: 'fp_1', serviceTier: 'priority' }, { type: 'text-delta', choice: 0, text: 'x' }, { type: 'finish', choice: 0, reason: 'stop' }]);
    for (const chunk of [...chunks, ...parseSse(encoder.finish(USAGE, METADATA)).slice(0, 1)]) {
      expect(chunk).toMatchObject({ ...COMMON, system_fingerprint: 'fp_1', service_tier: 'priority' });
    }
  });

  it('writes a null system_fingerprint and leaves out an absent one', () => {
    expect(encodeAll([{ ...START, systemFingerprint: null }]).chunks[0]).toHaveProperty('system_fingerprint', null);
    expect(encodeAll([START]).chunks[0]).not.toHaveProperty('system_fingerprint');
    expect(encodeAll([START]).chunks[0]).not.toHaveProperty('service_tier');
  });

  it('sends a role chunk first for every further choice (n=2)', () => {
    const { chunks } = encodeAll([
      START,
      { type: 'text-delta', choice: 1, text: 'B' },
      { type: 'text-delta', choice: 0, text: 'A' },
      { type: 'finish', choice: 1, reason: 'length' },
      { type: 'reasoning-delta', choice: 2, text: 'r' },
    ]);
    expect(choicesOf(chunks)).toEqual([
      roleChoice(0),
      roleChoice(1),
      deltaChoice(1, { content: 'B' }),
      deltaChoice(0, { content: 'A' }),
      { index: 1, delta: {}, logprobs: null, finish_reason: 'length' },
      roleChoice(2),
      deltaChoice(2, { reasoning_content: 'r' }),
    ]);
  });

  it('encodes reasoning, refusal and text deltas', () => {
    const { chunks } = encodeAll([
      START,
      { type: 'reasoning-delta', choice: 0, text: 'Thinking' },
      { type: 'refusal-delta', choice: 0, text: 'I cannot' },
      { type: 'text-delta', choice: 0, text: 'Done' },
    ]);
    expect(choicesOf(chunks).slice(1)).toEqual([deltaChoice(0, { reasoning_content: 'Thinking' }), deltaChoice(0, { refusal: 'I cannot' }), deltaChoice(0, { content: 'Done' })]);
  });

  it('passes text logprobs in the choice', () => {
    const logprobs = { content: [{ token: 'Hi', logprob: -0.5, bytes: [72, 105], top_logprobs: [] }], refusal: null };
    const { chunks } = encodeAll([START, { type: 'text-delta', choice: 0, text: 'Hi', logprobs }]);
    expect(choicesOf(chunks)[1]).toEqual({ index: 0, delta: { content: 'Hi' }, logprobs, finish_reason: null });
    expect(chunks[1]).toHaveProperty('usage', null);
  });

  it.each(['stop', 'length', 'tool_calls', 'content_filter'] as const)('encodes finish_reason %s with an empty delta', (reason) => {
    expect(choicesOf(encodeAll([START, { type: 'finish', choice: 0, reason }]).chunks)[1]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: reason });
  });

  it('writes nothing for usage and error events', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: false });
    encoder.encode(START);
    expect(encoder.encode({ type: 'usage', usage: USAGE })).toBe('');
    expect(encoder.encode({ type: 'error', error: new GatewayError(502, 'upstream_error', 'x') })).toBe('');
  });

  it('encodes message-extra fields as delta fields, and nothing for none', () => {
    const { chunks } = encodeAll([
      START,
      { type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'EqQBCkgIARAB' }] } },
      { type: 'message-extra', choice: 0, fields: {} },
    ]);
    expect(choicesOf(chunks)).toEqual([roleChoice(0), deltaChoice(0, { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'EqQBCkgIARAB' }] })]);
  });

  it('reports whether it has started', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: false });
    expect(encoder.hasStarted).toBe(false);
    encoder.encode(START);
    expect(encoder.hasStarted).toBe(true);
  });

  it('ignores a second response-start', () => {
    const { chunks } = encodeAll([START, { ...START, id: 'other', model: 'other' }, { type: 'text-delta', choice: 0, text: 'a' }]);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatchObject({ id: 'chatcmpl-1', model: 'gpt-5.2-2025-12-11' });
  });

  it('still writes well-formed chunks when the first event is not response-start', () => {
    const { chunks } = encodeAll([{ type: 'text-delta', choice: 0, text: 'a' }]);
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: '', id: expect.stringMatching(/^chatcmpl-/), created: expect.any(Number) });
    }
    expect(choicesOf(chunks)).toEqual([roleChoice(0), deltaChoice(0, { content: 'a' })]);
  });
});

describe('ChunkEncoder: tool calls', () => {
  it('sends id, type and name on the first fragment only, then argument deltas by index', () => {
    const { chunks } = encodeAll([
      START,
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-start', choice: 0, index: 1, id: 'call_b', name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city": "Par' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{}' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: 'is"}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
    expect(choicesOf(chunks).slice(1)).toEqual([
      deltaChoice(0, { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      deltaChoice(0, { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
      deltaChoice(0, { tool_calls: [{ index: 0, function: { arguments: '{"city": "Par' } }] }),
      deltaChoice(0, { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
      deltaChoice(0, { tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }),
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('adds extra tool-call fields to the first fragment', () => {
    const { chunks } = encodeAll([START, { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'f', extra: { extra_content: { google: { thought_signature: 'sig' } } } }]);
    expect(choicesOf(chunks)[1]).toEqual(deltaChoice(0, { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' }, extra_content: { google: { thought_signature: 'sig' } } }] }));
    const empty = encodeAll([START, { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'f', extra: {} }]);
    expect(choicesOf(empty.chunks)[1]).toEqual(deltaChoice(0, { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }));
  });

  it('writes nothing for an empty arguments delta', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: false });
    encoder.encode(START);
    expect(encoder.encode({ type: 'tool-call-delta', choice: 0, index: 0, arguments: '' })).toBe('');
  });

  it('uses function_call for a caller of the legacy functions API', () => {
    const { chunks } = encodeAll(
      [
        START,
        { type: 'tool-call-start', choice: 0, index: 0, id: 'call_a', name: 'get_weather' },
        { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city":' },
        { type: 'tool-call-delta', choice: 0, index: 0, arguments: '"Paris"}' },
        { type: 'finish', choice: 0, reason: 'tool_calls' },
      ],
      true,
    );
    expect(choicesOf(chunks).slice(1)).toEqual([
      deltaChoice(0, { function_call: { name: 'get_weather', arguments: '' } }),
      deltaChoice(0, { function_call: { arguments: '{"city":' } }),
      deltaChoice(0, { function_call: { arguments: '"Paris"}' } }),
      { index: 0, delta: {}, logprobs: null, finish_reason: 'function_call' },
    ]);
  });

  it('legacy mode: only the first call can be expressed; later calls send nothing', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: true });
    encoder.encode(START);
    expect(encoder.encode({ type: 'tool-call-start', choice: 0, index: 1, id: 'call_b', name: 'second' })).toBe('');
    expect(encoder.encode({ type: 'tool-call-delta', choice: 0, index: 1, arguments: '{}' })).toBe('');
    expect(choicesOf(parseSse(encoder.encode({ type: 'finish', choice: 0, reason: 'stop' })))).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  });
});

describe('ChunkEncoder: escaping', () => {
  const TRICKY = [
    'say "hi"',
    'back\\slash',
    'two\nlines\r\nand\ttab',
    'data: [DONE]\n\ndata: {"injected":true}',
    'ünïcødé ✓ 中文',
    'emoji 🌍👩‍💻 and lone surrogate \ud800',
    'line separators \u2028\u2029',
    'control \u0000\u0007\u001b',
    '</script>',
  ];

  it.each(TRICKY)('round-trips %j in every string field', (text) => {
    const { encoder, chunks } = encodeAll([
      { type: 'response-start', id: `id-${text}`, model: `model-${text}`, created: 1, systemFingerprint: text, serviceTier: text },
      { type: 'text-delta', choice: 0, text },
      { type: 'reasoning-delta', choice: 0, text },
      { type: 'refusal-delta', choice: 0, text },
      { type: 'tool-call-start', choice: 0, index: 0, id: text, name: text, extra: { [text]: text } },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: text },
      { type: 'message-extra', choice: 0, fields: { [text]: text } },
    ]);
    const all = [...chunks, ...parseSse(encoder.finish(USAGE, { ...METADATA, warnings: [{ code: 'unsupported_parameter', message: text }] }))];
    expect(all).toHaveLength(9);
    const expectedText = text.replace('\ud800', '\ufffd');
    const same = (value: unknown) => expect(value === text || value === expectedText).toBe(true);
    for (const chunk of all.slice(0, 8)) {
      if (chunk === '[DONE]') throw new Error('unexpected [DONE]');
      same((chunk.id as string).slice(3));
      same((chunk.model as string).slice(6));
      same(chunk.system_fingerprint);
    }
    const deltas = choicesOf(all).map((choice) => choice.delta as Record<string, unknown>);
    same(deltas[1]?.content);
    same(deltas[2]?.reasoning_content);
    same(deltas[3]?.refusal);
    const [start] = deltas[4]?.tool_calls as Record<string, unknown>[];
    same(start?.id);
    same((start?.function as Record<string, unknown>).name);
    same(Object.values(start ?? {}).at(-1));
    same(((deltas[5]?.tool_calls as Record<string, unknown>[])[0]?.function as Record<string, unknown>).arguments);
    same(Object.values(deltas[6] ?? {})[0]);
    same(((all[7] as Chunk).routing_metadata as { warnings: { message: string }[] }).warnings[0]?.message);
    expect(all[8]).toBe('[DONE]');
  });
});

describe('ChunkEncoder: finish()', () => {
  it('writes the usage chunk with choices: [], usage and routing_metadata, then [DONE]', () => {
    const encoder = new ChunkEncoder({ legacyFunctions: false });
    encoder.encode(START);
    const text = encoder.finish({ promptTokens: 2066, completionTokens: 96, totalTokens: 2162, cachedTokens: 2048, cacheWriteTokens: 10, reasoningTokens: 0 }, METADATA);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(parseSse(text)).toEqual([
      {
        ...COMMON,
        choices: [],
        usage: { prompt_tokens: 2066, completion_tokens: 96, total_tokens: 2162, prompt_tokens_details: { cached_tokens: 2048, cache_write_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 0 } },
        routing_metadata: METADATA,
      },
      '[DONE]',
    ]);
  });

  it('is well formed even when no event was encoded before', () => {
    const chunks = parseSse(new ChunkEncoder({ legacyFunctions: false }).finish(USAGE, METADATA));
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', id: expect.stringMatching(/^chatcmpl-/), choices: [], routing_metadata: METADATA });
    expect(chunks[1]).toBe('[DONE]');
  });
});
