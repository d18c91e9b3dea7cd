import { describe, expect, it } from 'vitest';
import type { ChatResult } from '../../core/chatResult.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { parseOpenAIResponse } from './parseOpenAIResponse.js';

/** Ids count up per prefix so that every synthesised id is predictable. */
function fakeEffects(nowMs = 1_767_225_600_500): AdapterEffects {
  const counters = new Map<string, number>();
  return {
    newId: (prefix) => {
      const next = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, next);
      return `${prefix}gen${next}`;
    },
    now: () => nowMs,
  };
}

function parse(body: unknown): ChatResult {
  return parseOpenAIResponse(body, fakeEffects());
}

function choice(fields: Record<string, unknown>): Record<string, unknown> {
  return { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' }, ...fields }] };
}

function message(fields: Record<string, unknown>): Record<string, unknown> {
  return choice({ message: { role: 'assistant', ...fields } });
}

// providers.md §1.4
const OPENAI_TOOL_CALL_RESPONSE = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion',
  created: 1767225600,
  model: 'gpt-5.2-2025-12-11',
  service_tier: 'default',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [{ id: 'call_9f2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 1320,
    completion_tokens: 210,
    total_tokens: 1530,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
};

// providers.md §5
const DEEPSEEK_RESPONSE = {
  id: '9a1f',
  object: 'chat.completion',
  created: 1767225600,
  model: 'deepseek-v4-flash',
  choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: '18°C in Paris.', reasoning_content: 'Tool says 18°C.' } }],
  usage: {
    prompt_tokens: 210,
    completion_tokens: 22,
    total_tokens: 232,
    prompt_cache_hit_tokens: 192,
    prompt_cache_miss_tokens: 18,
    prompt_tokens_details: { cached_tokens: 192 },
    completion_tokens_details: { reasoning_tokens: 9 },
  },
};

// providers.md §6
const VLLM_RESPONSE = {
  id: 'chatcmpl-5b0',
  object: 'chat.completion',
  created: 1767225600,
  model: 'Qwen/Qwen3-32B',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', reasoning: null }, logprobs: null, finish_reason: 'stop', stop_reason: null }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
};

describe('parseOpenAIResponse: provider fixtures', () => {
  it('reads the OpenAI tool-call response of §1.4', () => {
    expect(parse(OPENAI_TOOL_CALL_RESPONSE)).toEqual({
      id: 'chatcmpl-abc123',
      created: 1767225600,
      model: 'gpt-5.2-2025-12-11',
      systemFingerprint: null,
      serviceTier: 'default',
      choices: [
        {
          index: 0,
          finishReason: 'tool_calls',
          message: {
            content: null,
            refusal: null,
            toolCalls: [{ id: 'call_9f2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
            extra: { annotations: [] },
          },
        },
      ],
      usage: { promptTokens: 1320, completionTokens: 210, totalTokens: 1530, cachedTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 192 },
    });
  });

  it('reads the DeepSeek response of §5: reasoning_content and cache hits', () => {
    expect(parse(DEEPSEEK_RESPONSE)).toEqual({
      id: '9a1f',
      created: 1767225600,
      model: 'deepseek-v4-flash',
      choices: [{ index: 0, finishReason: 'stop', message: { content: '18°C in Paris.', reasoningContent: 'Tool says 18°C.' } }],
      usage: { promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 0, reasoningTokens: 9 },
    });
  });

  it('takes cached tokens from prompt_cache_hit_tokens when DeepSeek sends no prompt_tokens_details', () => {
    const usage = { prompt_tokens: 210, completion_tokens: 22, total_tokens: 232, prompt_cache_hit_tokens: 192, prompt_cache_miss_tokens: 18 };
    expect(parse({ ...DEEPSEEK_RESPONSE, usage }).usage).toEqual({ promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('reads the vLLM response of §6 and drops the choice-level stop_reason', () => {
    const result = parse(VLLM_RESPONSE);
    expect(result).toEqual({
      id: 'chatcmpl-5b0',
      created: 1767225600,
      model: 'Qwen/Qwen3-32B',
      choices: [{ index: 0, finishReason: 'stop', message: { content: 'Hello!' } }],
      usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
    expect(JSON.stringify(result)).not.toContain('stop_reason');
  });

  it('reads vLLM reasoning from message.reasoning', () => {
    const result = parse(message({ content: 'Hello!', reasoning: 'The user greets me.' }));
    expect(result.choices[0]?.message).toEqual({ content: 'Hello!', reasoningContent: 'The user greets me.' });
  });

  it('prefers reasoning_content over reasoning when both are present', () => {
    expect(parse(message({ content: 'a', reasoning_content: 'first', reasoning: 'second' })).choices[0]?.message.reasoningContent).toBe('first');
  });

  it('ignores empty reasoning', () => {
    expect(parse(message({ content: 'a', reasoning_content: '' })).choices[0]?.message).toEqual({ content: 'a' });
  });

  it('reads Groq usage from x_groq.usage when usage is absent', () => {
    const body = {
      ...choice({}),
      x_groq: { id: 'req_01', usage: { queue_time: 0.01, prompt_tokens: 70, prompt_time: 0.003, completion_tokens: 25, completion_time: 0.05, total_tokens: 95, total_time: 0.053 } },
    };
    expect(parse(body).usage).toEqual({ promptTokens: 70, completionTokens: 25, totalTokens: 95, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('prefers the standard usage over x_groq.usage', () => {
    const body = { ...choice({}), usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, x_groq: { usage: { prompt_tokens: 70, completion_tokens: 25, total_tokens: 95 } } };
    expect(parse(body).usage?.totalTokens).toBe(3);
  });

  it('leaves usage undefined when the upstream sends none', () => {
    expect(parse(choice({})).usage).toBeUndefined();
    expect(parse({ ...choice({}), usage: null }).usage).toBeUndefined();
  });

  it('computes total_tokens when it is missing and ignores negative or fractional junk', () => {
    expect(parse({ ...choice({}), usage: { prompt_tokens: 10, completion_tokens: 5.7, prompt_tokens_details: { cached_tokens: -3, cache_write_tokens: 4 } } }).usage).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      cachedTokens: 0,
      cacheWriteTokens: 4,
      reasoningTokens: 0,
    });
  });
});

describe('parseOpenAIResponse: messages', () => {
  it('keeps unknown message fields in extra and leaves modelled ones out of it', () => {
    const result = parse(message({ content: 'hi', refusal: null, annotations: [{ type: 'url_citation' }], audio: { id: 'audio_1' }, thinking_blocks: [{ type: 'thinking', signature: 's' }], reasoning: null, provider_specific: undefined }));
    expect(result.choices[0]?.message).toEqual({
      content: 'hi',
      refusal: null,
      extra: { annotations: [{ type: 'url_citation' }], audio: { id: 'audio_1' }, thinking_blocks: [{ type: 'thinking', signature: 's' }] },
    });
  });

  it('reads a refusal', () => {
    expect(parse(message({ content: null, refusal: 'I cannot help with that.' })).choices[0]?.message).toEqual({ content: null, refusal: 'I cannot help with that.' });
  });

  it('treats non-string content as null', () => {
    expect(parse(message({ content: [{ type: 'text', text: 'x' }] })).choices[0]?.message.content).toBeNull();
    expect(parse(choice({ message: undefined })).choices[0]?.message).toEqual({ content: null });
  });

  it('reads parallel tool calls and keeps their unknown fields', () => {
    const result = parse(
      message({
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } },
          { id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      }),
    );
    expect(result.choices[0]?.message.toolCalls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } },
      { id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
    ]);
  });

  it('repairs tool calls: synthesises missing ids, serialises object arguments, skips non-objects', () => {
    const result = parseOpenAIResponse(
      message({ content: null, tool_calls: [{ function: { name: 'a', arguments: { city: 'Paris' } } }, null, 'junk', { id: '', function: { name: 'b' } }] }),
      fakeEffects(),
    );
    expect(result.choices[0]?.message.toolCalls).toEqual([
      { id: 'call_gen1', type: 'function', function: { name: 'a', arguments: '{"city":"Paris"}' } },
      { id: 'call_gen2', type: 'function', function: { name: 'b', arguments: '{}' } },
    ]);
  });

  it('turns a legacy function_call into a tool call with a fresh id', () => {
    const result = parse(choice({ finish_reason: 'function_call', message: { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } } }));
    expect(result.choices[0]).toEqual({
      index: 0,
      finishReason: 'tool_calls',
      message: { content: null, toolCalls: [{ id: 'call_gen1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    });
  });

  it('prefers tool_calls over function_call when both are present', () => {
    const result = parse(message({ content: null, tool_calls: [{ id: 'call_t', type: 'function', function: { name: 't', arguments: '{}' } }], function_call: { name: 'f', arguments: '{}' } }));
    expect(result.choices[0]?.message.toolCalls?.map((call) => call.id)).toEqual(['call_t']);
  });

  it('reads every choice of n > 1 with its index and logprobs', () => {
    const logprobs = { content: [{ token: 'A', logprob: -0.1, bytes: [65], top_logprobs: [] }], refusal: null };
    const result = parse({
      id: 'x',
      created: 1,
      model: 'm',
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'A' }, logprobs },
        { index: 1, finish_reason: 'length', message: { role: 'assistant', content: 'B' }, logprobs: null },
      ],
    });
    expect(result.choices).toEqual([
      { index: 0, finishReason: 'stop', message: { content: 'A' }, logprobs },
      { index: 1, finishReason: 'length', message: { content: 'B' } },
    ]);
  });

  it('numbers choices by position when the upstream leaves out index', () => {
    const result = parse({ id: 'x', created: 1, model: 'm', choices: [{ finish_reason: 'stop', message: { content: 'a' } }, { finish_reason: 'stop', message: { content: 'b' } }] });
    expect(result.choices.map((item) => item.index)).toEqual([0, 1]);
  });

  it('synthesises id, created and model when the upstream leaves them out', () => {
    const result = parseOpenAIResponse({ choices: [{ finish_reason: 'stop', message: { content: 'a' } }] }, fakeEffects(1_767_225_600_999));
    expect(result).toMatchObject({ id: 'chatcmpl-gen1', created: 1767225600, model: '' });
    expect(result).not.toHaveProperty('systemFingerprint');
    expect(result).not.toHaveProperty('serviceTier');
  });

  it('keeps a string system_fingerprint', () => {
    expect(parse({ ...choice({}), system_fingerprint: 'fp_1' }).systemFingerprint).toBe('fp_1');
  });
});

describe('parseOpenAIResponse: finish reasons', () => {
  it.each<[unknown, string]>([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['model_length', 'length'],
    ['insufficient_system_resource', 'length'],
    ['eos', 'stop'],
    [null, 'stop'],
    [undefined, 'stop'],
  ])('%j → %s', (reason, mapped) => {
    expect(parse(choice({ finish_reason: reason })).choices[0]?.finishReason).toBe(mapped);
  });

  it('throws a retryable 502 upstream_error when a choice finished with "error"', () => {
    expect(() => parse(choice({ finish_reason: 'error' }))).toThrow(
      expect.objectContaining({ name: 'GatewayError', status: 502, code: 'upstream_error', retryable: true, message: expect.stringContaining('choices[0]') }),
    );
  });
});

describe('parseOpenAIResponse: malformed bodies', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Bad Gateway'],
    ['a number', 42],
    ['an empty object', {}],
    ['an array', [OPENAI_TOOL_CALL_RESPONSE]],
    ['choices not an array', { ...OPENAI_TOOL_CALL_RESPONSE, choices: { 0: {} } }],
    ['a null choice', { ...OPENAI_TOOL_CALL_RESPONSE, choices: [null] }],
    ['a string choice', { ...OPENAI_TOOL_CALL_RESPONSE, choices: ['stop'] }],
    ['an error body with status 200', { error: { message: 'oops', type: 'server_error' } }],
  ])('%s → 502 upstream_error', (_name, body) => {
    let thrown: unknown;
    try {
      parse(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 502, code: 'upstream_error', type: 'api_error' });
  });
});
