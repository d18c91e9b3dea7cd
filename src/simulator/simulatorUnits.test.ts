import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR, mergeBehaviour } from './behaviour.js';
import { estimatePromptTokens } from './estimatePromptTokens.js';
import { maskApiKey } from './maskApiKey.js';
import { parseModelName } from './parseModelName.js';
import { tokenizeText } from './replyTokens.js';
import { RequestTimer } from './requestTimer.js';
import { sampleFromSchema } from './sampleFromSchema.js';
import { createSimulatorIds } from './simulatorIds.js';

describe('parseModelName', () => {
  it('maps short keys to behaviour fields', () => {
    expect(parseModelName('sim-chat@ttft=200,tps=50,tokens=30')).toEqual({ baseModel: 'sim-chat', behaviour: { ttftMs: 200, tokensPerSecond: 50, completionTokens: 30 } });
    expect(parseModelName('m@status=429,retry_after=3,reset,stop_after=2,malformed_at=1,stream_error_at=4,cached=5,reasoning=6,tools=2,chunks=3').behaviour).toEqual({
      status: 429,
      retryAfter: 3,
      reset: 'before-headers',
      stopAfterChunks: 2,
      malformedChunkAt: 1,
      streamErrorAt: 4,
      cachedTokens: 5,
      reasoningTokens: 6,
      toolCalls: 2,
      chunks: 3,
    });
    expect(parseModelName('m@tools=never').behaviour).toEqual({ toolCalls: 'never' });
    expect(parseModelName('plain-model')).toEqual({ baseModel: 'plain-model', behaviour: undefined });
  });

  it('throws on unknown keys and invalid values', () => {
    expect(() => parseModelName('m@bogus=1')).toThrow(/Unknown simulator model parameter 'bogus'/);
    expect(() => parseModelName('m@tps=-1')).toThrow(/tokensPerSecond/);
    expect(() => parseModelName('m@reasoning_text=chain')).toThrow(/reasoningText/);
  });
});

describe('sampleFromSchema', () => {
  it('builds a minimal valid instance', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        count: { type: 'integer' },
        ratio: { type: 'number', minimum: 5 },
        flag: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        two: { type: 'array', items: { type: 'integer' }, minItems: 2 },
        unit: { enum: ['c', 'f'] },
        nested: { type: 'object', properties: { inner: { type: 'string' }, skipped: { type: 'string' } }, required: ['inner'] },
        maybe: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date' }] },
        ref: { $ref: '#/$defs/point' },
        optional: { type: 'string' },
      },
      required: ['city', 'count', 'ratio', 'flag', 'tags', 'two', 'unit', 'nested', 'maybe', 'ref'],
      $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    };
    expect(sampleFromSchema(schema)).toEqual({
      city: 'Paris',
      count: 1,
      ratio: 5,
      flag: true,
      tags: [],
      two: [1, 1],
      unit: 'c',
      nested: { inner: 'London' },
      maybe: '2025-01-01',
      ref: { x: 1 },
    });
    expect(sampleFromSchema(undefined)).toEqual({});
    expect(sampleFromSchema({ type: 'object' })).toEqual({});
  });

  it('terminates on recursive schemas', () => {
    const recursive = { type: 'object', properties: { child: { $ref: '#' } }, required: ['child'] };
    expect(() => JSON.stringify(sampleFromSchema(recursive))).not.toThrow();
  });
});

describe('helpers', () => {
  it('masks API keys with the first 3 and last 4 characters', () => {
    expect(maskApiKey('sk-abcdefghijkl1234')).toBe('sk-************1234');
    expect(maskApiKey('short')).toBe('*****');
  });

  it('estimates prompt tokens deterministically', () => {
    expect(estimatePromptTokens([{ role: 'user', content: '12345678' }], undefined)).toBe(2 + 3);
    expect(estimatePromptTokens([{ role: 'user', content: [{ type: 'text', text: 'abcd' }] }, { role: 'assistant', content: 'ef' }], undefined)).toBe(2 + 6);
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(estimatePromptTokens([{ role: 'user', content: '' }], tools)).toBe(3 + Math.ceil(JSON.stringify(tools).length / 4));
    expect(estimatePromptTokens([], undefined)).toBe(1);
  });

  it('tokenizes text into words with their leading whitespace', () => {
    expect(tokenizeText('Hello  big world! ')).toEqual(['Hello', '  big', ' world! ']);
    expect(tokenizeText('')).toEqual([]);
    expect(tokenizeText('   ')).toEqual(['   ']);
  });

  it('merges behaviour layers, later wins, undefined keeps the lower layer, null is a value', () => {
    const merged = mergeBehaviour(DEFAULT_BEHAVIOUR, { ttftMs: 5, completionTokens: 3 }, { ttftMs: undefined, systemFingerprint: null }, { completionTokens: 7 });
    expect(merged).toMatchObject({ ttftMs: 5, completionTokens: 7, systemFingerprint: null, serviceTier: 'default' });
  });

  it('makes unique OpenAI-looking ids', () => {
    const ids = createSimulatorIds(42);
    const completions = new Set(Array.from({ length: 1000 }, () => ids.completionId()));
    expect(completions.size).toBe(1000);
    for (const id of completions) expect(id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(ids.toolCallId()).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(ids.requestId()).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('RequestTimer runs due work synchronously and never after cancel (how aborts stop generation)', async () => {
    const timer = new RequestTimer();
    const calls: string[] = [];
    timer.later(0, () => calls.push('now'));
    expect(calls).toEqual(['now']);
    timer.later(20, () => calls.push('later'));
    timer.cancel();
    timer.later(0, () => calls.push('after cancel'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toEqual(['now']);
    expect(timer.cancelled).toBe(true);
  });
});
