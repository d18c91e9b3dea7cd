import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { ProviderAdapter, UpstreamTarget } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { createDeepSeekAdapter } from './deepseekAdapter.js';

const EFFECTS: AdapterEffects = { newId: (prefix) => `${prefix}gen`, now: () => 1_767_225_600_000 };
const ADAPTER: ProviderAdapter = createDeepSeekAdapter(EFFECTS);

const OPTIONAL: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: false, reasoning: 'optional' };

const TARGET: UpstreamTarget = {
  providerId: 'deepseek',
  baseUrl: 'https://api.deepseek.com',
  apiKey: 'sk-ds',
  headers: {},
  upstreamModel: 'deepseek-v4-flash',
  capabilities: OPTIONAL,
  maxOutputTokens: 384000,
};
const LEGACY_TARGET: UpstreamTarget = { ...TARGET, upstreamModel: 'deepseek-reasoner', capabilities: { ...OPTIONAL, reasoning: 'always' } };

const WEATHER_TOOL = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }], ...fields }).request;
}

function build(fields: Record<string, unknown>, target: UpstreamTarget = TARGET) {
  const built = ADAPTER.buildRequest(chatRequest(fields), target);
  return { built, body: JSON.parse(built.body) as Record<string, unknown> };
}

function decode(payloads: unknown[]): StreamEvent[] {
  const decoder = ADAPTER.createStreamDecoder(chatRequest({ stream: true }));
  const events = payloads.flatMap((payload) => decoder.decode({ event: undefined, data: typeof payload === 'string' ? payload : JSON.stringify(payload) }));
  return [...events, ...decoder.end()];
}

describe('DeepSeek: the §5 example request', () => {
  it('builds the second turn of a tool loop exactly as the reference shows it', () => {
    const { built, body } = build({
      model: 'deepseek-v4-flash',
      reasoning_effort: 'high',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          reasoning_content: 'Need the weather tool.',
          tool_calls: [{ id: 'call_0_8c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_0_8c1', content: '18°C' },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(built.url).toBe('https://api.deepseek.com/chat/completions');
    expect(built.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-ds', accept: 'text/event-stream' });
    expect(body).toEqual({
      model: 'deepseek-v4-flash',
      thinking: { type: 'enabled' },
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          reasoning_content: 'Need the weather tool.',
          tool_calls: [{ id: 'call_0_8c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_0_8c1', content: '18°C' },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(built.warnings).toEqual([]);
  });
});

describe('DeepSeek: thinking switch and effort', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['low', { thinking: { type: 'enabled' }, reasoning_effort: 'low' }, undefined],
    ['medium', { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, 'medium'],
    ['high', { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, undefined],
    ['xhigh', { thinking: { type: 'enabled' }, reasoning_effort: 'high' }, 'xhigh'],
    ['max', { thinking: { type: 'enabled' }, reasoning_effort: 'max' }, undefined],
    ['off', { thinking: { type: 'disabled' } }, undefined],
  ])('reasoning_effort %s → %j', (effort, fields, warned) => {
    const { body, built } = build({ reasoning_effort: effort });
    expect(body).toMatchObject(fields);
    if (!('reasoning_effort' in fields)) expect(body).not.toHaveProperty('reasoning_effort');
    // DeepSeek's own table maps medium and xhigh to high: the caller is told.
    expect(built.warnings.map((warning) => warning.param)).toEqual(warned === undefined ? [] : ['reasoning_effort']);
    if (warned !== undefined) expect(built.warnings[0]?.message).toContain(`"${warned}"`);
  });

  it('leaves DeepSeek its default (thinking on) when nothing is asked of an optional offer', () => {
    const { body } = build({});
    expect(body).not.toHaveProperty('thinking');
    expect(body).not.toHaveProperty('reasoning_effort');
  });

  it('switches thinking off for an offer declared non-reasoning (deepseek-chat) and on for one that always reasons', () => {
    expect(build({}, { ...TARGET, capabilities: { ...OPTIONAL, reasoning: 'none' } }).body.thinking).toEqual({ type: 'disabled' });
    expect(build({}, { ...TARGET, capabilities: { ...OPTIONAL, reasoning: 'always' } }).body.thinking).toEqual({ type: 'enabled' });
  });

  it('drops the sampling knobs thinking mode ignores, with warnings, and keeps them with thinking off', () => {
    const sampling = { temperature: 0.3, presence_penalty: 0.5, frequency_penalty: 0.5, top_p: 0.9 };
    const thinking = build({ ...sampling, reasoning_effort: 'high' });
    expect(thinking.body).toMatchObject({ top_p: 0.9 });
    expect(thinking.built.warnings.map((warning) => warning.param).sort()).toEqual(['frequency_penalty', 'presence_penalty', 'temperature']);
    expect(build({ ...sampling, reasoning_effort: 'off' }).body).toMatchObject(sampling);
    expect(build({ temperature: 1 }).built.warnings).toEqual([]);
  });

  it('blocks extensions.deepseek from overriding the translated thinking switch', () => {
    const { body, built } = build({ reasoning_effort: 'off', extensions: { deepseek: { thinking: { type: 'enabled' } } } });
    expect(body.thinking).toEqual({ type: 'disabled' });
    expect(built.warnings.map((warning) => warning.code)).toEqual(['blocked_extension_field']);
    expect(build({ extensions: { deepseek: { thinking: { type: 'enabled' } } } }).body.thinking).toEqual({ type: 'enabled' });
  });
});

describe('DeepSeek: multi-turn reasoning by generation', () => {
  const HISTORY = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
    { role: 'assistant', content: '18°C.', reasoning_content: 'Easy.' },
    { role: 'assistant', content: null, reasoning: 'Check again.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] },
    { role: 'tool', tool_call_id: 'call_2', content: '20°C' },
  ];

  it('V4 thinking: back-fills an empty reasoning_content on tool-call turns that lack it, keeps the rest', () => {
    const messages = build({ messages: HISTORY, tools: [WEATHER_TOOL] }).body.messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({ ...HISTORY[1], reasoning_content: '' });
    expect(messages[3]).toEqual(HISTORY[3]);
    // The `reasoning` spelling is the same text.
    expect(messages[4]).toEqual({ role: 'assistant', content: null, reasoning_content: 'Check again.', tool_calls: HISTORY[4]?.tool_calls });
    expect(messages[2]).toEqual(HISTORY[2]);
  });

  it('V4 with thinking off: sends the history as it came', () => {
    const messages = build({ messages: HISTORY, tools: [WEATHER_TOOL], reasoning_effort: 'off' }).body.messages as Record<string, unknown>[];
    expect(messages[1]).toEqual(HISTORY[1]);
  });

  it('legacy deepseek-reasoner (R1): strips reasoning from every earlier assistant turn', () => {
    const messages = build({ messages: HISTORY, tools: [WEATHER_TOOL] }, LEGACY_TARGET).body.messages as Record<string, unknown>[];
    for (const message of messages) {
      expect(message).not.toHaveProperty('reasoning_content');
      expect(message).not.toHaveProperty('reasoning');
    }
    expect(messages[3]).toEqual({ role: 'assistant', content: '18°C.' });
  });

  it('legacy deepseek-reasoner: sends no thinking switch, drops effort and logprobs with warnings', () => {
    const { body, built } = build({ reasoning_effort: 'high', logprobs: true, top_logprobs: 2 }, LEGACY_TARGET);
    expect(body).not.toHaveProperty('thinking');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(body).not.toHaveProperty('logprobs');
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['logprobs', 'reasoning_effort', 'top_logprobs']);
  });

  it('does not mutate the caller\'s messages', () => {
    const request = chatRequest({ messages: HISTORY, tools: [WEATHER_TOOL] });
    const before = JSON.stringify(request.messages);
    ADAPTER.buildRequest(request, TARGET);
    ADAPTER.buildRequest(request, LEGACY_TARGET);
    expect(JSON.stringify(request.messages)).toBe(before);
  });
});

describe('DeepSeek: request differences', () => {
  it('sends developer messages as system and text part arrays as strings', () => {
    const { body } = build({
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Be terse.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Long document' }, { type: 'text', text: 'Question?' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Long document\nQuestion?' },
    ]);
  });

  it('keeps image parts as parts', () => {
    const content = [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }];
    expect(build({ messages: [{ role: 'user', content }] }).body.messages).toEqual([{ role: 'user', content }]);
  });

  it('turns json_schema into json_object plus a system message carrying the schema, with a warning', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const { body, built } = build({
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } },
    });
    expect(body.response_format).toEqual({ type: 'json_object' });
    const messages = body.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(['system', 'system', 'user']);
    expect(messages[1]?.content).toContain('JSON');
    expect(messages[1]?.content).toContain(JSON.stringify(schema));
    expect(built.warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'response_format' })]);
  });

  it('passes json_object as it is', () => {
    const { body, built } = build({ response_format: { type: 'json_object' } });
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(built.warnings).toEqual([]);
  });

  it('drops seed, top_k and the OpenAI-only fields with warnings', () => {
    const { body, built } = build({ seed: 7, top_k: 40, min_p: 0.1, prompt_cache_key: 'k', max_tokens: 100 });
    expect(body).toEqual({ model: 'deepseek-v4-flash', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['min_p', 'prompt_cache_key', 'seed', 'top_k']);
  });
});

describe('DeepSeek: responses', () => {
  // providers.md §5
  const RESPONSE = {
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

  it('reads the §5 response: reasoning_content, cache hits, reasoning tokens', () => {
    const result = ADAPTER.parseResponse(RESPONSE, chatRequest({}));
    expect(result.choices[0]?.message).toEqual({ content: '18°C in Paris.', reasoningContent: 'Tool says 18°C.' });
    expect(result.usage).toEqual({ promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 0, reasoningTokens: 9 });
  });

  it('takes cached tokens from prompt_cache_hit_tokens alone', () => {
    const usage = { prompt_tokens: 210, completion_tokens: 22, total_tokens: 232, prompt_cache_hit_tokens: 192, prompt_cache_miss_tokens: 18 };
    expect(ADAPTER.parseResponse({ ...RESPONSE, usage }, chatRequest({})).usage?.cachedTokens).toBe(192);
  });

  it('insufficient_system_resource: length when some answer came, a retryable failure when none did', () => {
    const cut = { ...RESPONSE, choices: [{ ...RESPONSE.choices[0], finish_reason: 'insufficient_system_resource' }] };
    expect(ADAPTER.parseResponse(cut, chatRequest({})).choices[0]?.finishReason).toBe('length');
    const empty = { ...RESPONSE, choices: [{ index: 0, finish_reason: 'insufficient_system_resource', message: { role: 'assistant', content: '' } }] };
    expect(() => ADAPTER.parseResponse(empty, chatRequest({}))).toThrow(expect.objectContaining({ status: 502, code: 'upstream_error', retryable: true }));
  });
});

describe('DeepSeek: streams', () => {
  const HEAD = { id: 'ds-1', object: 'chat.completion.chunk', created: 1767225600, model: 'deepseek-v4-flash' };
  const delta = (fields: Record<string, unknown>, finish: string | null = null) => ({ ...HEAD, choices: [{ index: 0, delta: fields, logprobs: null, finish_reason: finish }] });

  it('emits reasoning_content deltas before content deltas, then finish and usage with cache hits', () => {
    const events = decode([
      delta({ role: 'assistant', content: null, reasoning_content: '' }),
      delta({ content: null, reasoning_content: 'Tool says' }),
      delta({ content: null, reasoning_content: ' 18°C.' }),
      delta({ content: '18°C', reasoning_content: null }),
      delta({ content: ' in Paris.' }),
      delta({ content: '' }, 'stop'),
      { ...HEAD, choices: [], usage: { prompt_tokens: 210, completion_tokens: 22, total_tokens: 232, prompt_cache_hit_tokens: 192, prompt_cache_miss_tokens: 18, completion_tokens_details: { reasoning_tokens: 9 } } },
      '[DONE]',
    ]);
    expect(events).toEqual([
      { type: 'response-start', id: 'ds-1', model: 'deepseek-v4-flash', created: 1767225600 },
      { type: 'reasoning-delta', choice: 0, text: 'Tool says' },
      { type: 'reasoning-delta', choice: 0, text: ' 18°C.' },
      { type: 'text-delta', choice: 0, text: '18°C' },
      { type: 'text-delta', choice: 0, text: ' in Paris.' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 0, reasoningTokens: 9 } },
    ]);
  });

  it('a capacity cut-off with nothing produced is a retryable error; after some text it is length', () => {
    const failed = decode([delta({ role: 'assistant', content: '' }), delta({}, 'insufficient_system_resource')]);
    expect(failed.at(-1)).toEqual({ type: 'error', error: expect.objectContaining({ code: 'upstream_error', retryable: true }) });
    const cut = decode([delta({ content: 'Partial' }), delta({}, 'insufficient_system_resource'), '[DONE]']);
    expect(cut.at(-1)).toEqual({ type: 'finish', choice: 0, reason: 'length' });
  });
});

describe('DeepSeek: errors', () => {
  const body = (message: string, type: string, code: string | null = null) => JSON.stringify({ error: { message, type, param: null, code } });

  it('402 insufficient balance: not retryable, but another provider may serve the request', () => {
    expect(ADAPTER.parseError(402, body('Insufficient Balance', 'unknown_error'), {})).toMatchObject({ status: 502, code: 'upstream_error', retryable: false, fallback: true });
  });

  it.each<[number, string, Record<string, unknown>]>([
    [400, body("This model's maximum context length is 131072 tokens. However, you requested 140000 tokens.", 'invalid_request_error'), { status: 400, code: 'context_length_exceeded', nextModel: true }],
    [401, body('Authentication Fails, Your api key: ****abcd is invalid', 'authentication_error'), { status: 502, retryable: false, fallback: true }],
    [422, body('Invalid parameter: temperature', 'invalid_request_error'), { status: 422, code: 'invalid_request', retryable: false }],
    [429, body('Rate limit reached', 'rate_limit_error'), { status: 429, retryable: true }],
    [500, body('Server error', 'server_error'), { status: 502, retryable: true }],
    [503, body('Server overloaded', 'service_unavailable_error'), { status: 503, code: 'model_unavailable', retryable: true }],
  ])('%i', (status, text, expected) => {
    expect(ADAPTER.parseError(status, text, {})).toMatchObject(expected);
  });

  it('does not echo the key from a 401 message', () => {
    expect(ADAPTER.parseError(401, body('Authentication Fails, Your api key: sk-abcd is invalid', 'authentication_error'), {}).message).not.toContain('sk-abcd');
  });
});
