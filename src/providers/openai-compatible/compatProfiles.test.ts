import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import { parseConfig } from '../../config/parseConfig.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import { buildProviderRuntime } from '../../routing/providerRuntime.js';
import type { ProviderAdapter, UpstreamTarget } from '../adapter.js';
import { createOpenAIProtocolAdapter } from '../openai/createOpenAIProtocolAdapter.js';
import { OPENAI_PROFILE } from '../openai/openaiAdapter.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { createAdapterRegistry } from '../registry.js';
import { COMPAT_PROFILES_BY_NAME } from './compatProfiles.js';
import { FIREWORKS_PROFILE } from './fireworksProfile.js';
import { GROQ_PROFILE } from './groqProfile.js';
import { MISTRAL_PROFILE } from './mistralProfile.js';
import { selectCompatProfile } from './selectCompatProfile.js';
import { TOGETHER_PROFILE } from './togetherProfile.js';
import { XAI_PROFILE } from './xaiProfile.js';

const EFFECTS = { newId: (prefix: string) => `${prefix}gen`, now: () => 1_767_225_600_000 };
const OPTIONAL: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };
const WEATHER_TOOL = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

function target(providerId: string, baseUrl: string, upstreamModel: string, capabilities: OfferCapabilities = OPTIONAL): UpstreamTarget {
  return { providerId, baseUrl, apiKey: 'key', headers: {}, upstreamModel, capabilities, maxOutputTokens: undefined };
}

function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...fields }).request;
}

function build(profile: OpenAIProtocolProfile, to: UpstreamTarget, fields: Record<string, unknown>) {
  const built = createOpenAIProtocolAdapter(profile, EFFECTS).buildRequest(chatRequest(fields), to);
  return { built, body: JSON.parse(built.body) as Record<string, unknown> };
}

function decode(adapter: ProviderAdapter, payloads: unknown[]): StreamEvent[] {
  const decoder = adapter.createStreamDecoder(chatRequest({ stream: true }));
  return [...payloads.flatMap((payload) => decoder.decode({ event: undefined, data: typeof payload === 'string' ? payload : JSON.stringify(payload) })), ...decoder.end()];
}

const HEAD = { id: 'c-1', object: 'chat.completion.chunk', created: 1767225600, model: 'm' };

describe('selecting a host profile', () => {
  it.each<[string, string]>([
    ['https://api.x.ai/v1', 'xai'],
    ['https://api.mistral.ai/v1', 'mistral'],
    ['https://api.groq.com/openai/v1', 'groq'],
    ['https://api.together.xyz/v1', 'together'],
    ['https://API.Fireworks.ai/inference/v1', 'fireworks'],
    ['https://openrouter.ai/api/v1', 'generic'],
    ['http://127.0.0.1:8000/v1', 'generic'],
  ])('%s → %s', (baseUrl, name) => {
    expect(selectCompatProfile(baseUrl, undefined)).toBe(name);
  });

  it('compat_profile wins over the host (a proxy in front of Mistral, or opting out with generic)', () => {
    expect(selectCompatProfile('https://llm-proxy.internal/mistral/v1', 'mistral')).toBe('mistral');
    expect(selectCompatProfile('https://api.mistral.ai/v1', 'generic')).toBe('generic');
  });

  it('the registry serves one adapter per host profile and one per other type', () => {
    const registry = createAdapterRegistry(EFFECTS);
    const mistral = registry.forProvider({ type: 'openai-compatible', baseUrl: 'https://api.mistral.ai/v1' });
    const proxied = registry.forProvider({ type: 'openai-compatible', baseUrl: 'https://proxy.example/v1', compatProfile: 'mistral' });
    const generic = registry.forProvider({ type: 'openai-compatible', baseUrl: 'https://proxy.example/v1' });
    expect(mistral).toBeDefined();
    expect(proxied).toBe(mistral);
    expect(generic).not.toBe(mistral);
    expect(registry.forProvider({ type: 'deepseek', baseUrl: 'https://api.deepseek.com' })?.type).toBe('deepseek');
    expect(registry.forProvider({ type: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' })?.type).toBe('vllm');
    // The Mistral adapter really is the Mistral profile: seed goes out as random_seed.
    const built = mistral?.buildRequest(chatRequest({ seed: 1 }), target('m', 'https://api.mistral.ai/v1', 'mistral-large-latest'));
    expect(JSON.parse(built?.body ?? '{}')).toMatchObject({ random_seed: 1 });
  });

  it('config compat_profile reaches the registry through the provider runtime, and only for openai-compatible', () => {
    const config = parseConfig({ providers: [{ id: 'proxy', type: 'openai-compatible', base_url: 'https://proxy.example/v1', compat_profile: 'groq' }] }, {});
    const runtime = buildProviderRuntime(config.providers[0]!, config.timeouts);
    expect(runtime.compatProfile).toBe('groq');
    const registry = createAdapterRegistry(EFFECTS);
    expect(registry.forProvider(runtime)).toBe(registry.forProvider({ type: 'openai-compatible', baseUrl: 'https://api.groq.com/openai/v1' }));
    expect(() => parseConfig({ providers: [{ id: 'v', type: 'vllm', base_url: 'http://127.0.0.1:8000/v1', compat_profile: 'groq' }] }, {})).toThrow(/providers\[0\]\.compat_profile/);
    expect(() => parseConfig({ providers: [{ id: 'p', type: 'openai-compatible', base_url: 'https://x.example/v1', compat_profile: 'anthropic' }] }, {})).toThrow(/compat_profile/);
  });

  it('every profile name has a profile of the openai-compatible type', () => {
    for (const profile of Object.values(COMPAT_PROFILES_BY_NAME)) expect(profile.type).toBe('openai-compatible');
  });
});

describe('xAI (§11.3)', () => {
  const XAI = target('xai', 'https://api.x.ai/v1', 'grok-4.20-reasoning');

  it('moves prompt_cache_key to x-grok-conv-id and strips penalties and stop for reasoning models', () => {
    const { built, body } = build(XAI_PROFILE, XAI, { max_completion_tokens: 512, prompt_cache_key: 'user-42', presence_penalty: 0.5, frequency_penalty: 0.2, stop: 'END' });
    expect(built.url).toBe('https://api.x.ai/v1/chat/completions');
    expect(built.headers['x-grok-conv-id']).toBe('user-42');
    expect(built.headers.authorization).toBe('Bearer key');
    expect(body).toEqual({ model: 'grok-4.20-reasoning', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 512 });
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['frequency_penalty', 'presence_penalty', 'stop']);
  });

  it('keeps penalties and stop for non-reasoning variants', () => {
    const { body, built } = build(XAI_PROFILE, target('xai', 'https://api.x.ai/v1', 'grok-4-fast-non-reasoning'), { presence_penalty: 0.5, stop: 'END' });
    expect(body).toMatchObject({ presence_penalty: 0.5, stop: ['END'] });
    expect(built.warnings).toEqual([]);
  });

  it.each<[string, string, string | undefined]>([
    ['grok-3-mini', 'medium', 'low'],
    ['grok-3-mini', 'max', 'high'],
    ['grok-4.3', 'off', 'none'],
    ['grok-4.3', 'medium', 'medium'],
    ['grok-4.5', 'off', 'low'],
    ['grok-4.20-reasoning', 'high', undefined],
  ])('%s: reasoning_effort %s → %s', (model, effort, sent) => {
    expect(build(XAI_PROFILE, target('xai', 'https://api.x.ai/v1', model), { reasoning_effort: effort }).body.reasoning_effort).toBe(sent);
  });

  it('reads the §11.3 response with cached and reasoning tokens', () => {
    const result = createOpenAIProtocolAdapter(XAI_PROFILE, EFFECTS).parseResponse(
      {
        id: 'a1b2',
        object: 'chat.completion',
        created: 1767225600,
        model: 'grok-4.20-reasoning',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 125, completion_tokens: 48, total_tokens: 173, prompt_tokens_details: { text_tokens: 125, cached_tokens: 98 }, completion_tokens_details: { reasoning_tokens: 40 } },
      },
      chatRequest({}),
    );
    expect(result.usage).toEqual({ promptTokens: 125, completionTokens: 48, totalTokens: 173, cachedTokens: 98, cacheWriteTokens: 0, reasoningTokens: 40 });
    expect(result.choices[0]?.message.content).toBe('Hello!');
  });
});

describe('Mistral (§11.4)', () => {
  const MISTRAL = target('mistral', 'https://api.mistral.ai/v1', 'mistral-large-latest', { ...OPTIONAL, reasoning: 'none' });
  const ADAPTER = createOpenAIProtocolAdapter(MISTRAL_PROFILE, EFFECTS);

  function conversation(id: string) {
    return [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', refusal: null, tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: id, content: '18°C' },
    ];
  }

  it('builds the §11.4 request: random_seed, tool_choice any, system role, tool name, no stream_options', () => {
    const { body, built } = build(MISTRAL_PROFILE, MISTRAL, { seed: 7, tool_choice: 'required', messages: conversation('a1B2c3D4e'), tools: [WEATHER_TOOL] });
    expect(body).toEqual({
      model: 'mistral-large-latest',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'a1B2c3D4e', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'a1B2c3D4e', name: 'get_weather', content: '18°C' },
      ],
      random_seed: 7,
      tools: [WEATHER_TOOL],
      tool_choice: 'any',
    });
    expect(built.warnings).toEqual([]);
    const streamed = build(MISTRAL_PROFILE, MISTRAL, { stream: true }).body;
    expect(streamed.stream).toBe(true);
    expect(streamed).not.toHaveProperty('stream_options');
  });

  it('remaps foreign tool-call ids to 9 alphanumerics, the same way on every turn, in calls and results alike', () => {
    const first = build(MISTRAL_PROFILE, MISTRAL, { messages: conversation('call_9f2AbCdEfGh'), tools: [WEATHER_TOOL] }).body.messages as Record<string, unknown>[];
    const again = build(MISTRAL_PROFILE, MISTRAL, { messages: conversation('call_9f2AbCdEfGh'), tools: [WEATHER_TOOL] }).body.messages as Record<string, unknown>[];
    const id = (first[2]?.tool_calls as { id: string }[])[0]?.id;
    expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(first[3]?.tool_call_id).toBe(id);
    expect(again).toEqual(first);
    const other = build(MISTRAL_PROFILE, MISTRAL, { messages: conversation('toolu_01A'), tools: [WEATHER_TOOL] }).body.messages as Record<string, unknown>[];
    expect((other[2]?.tool_calls as { id: string }[])[0]?.id).not.toBe(id);
  });

  it('removes message fields Mistral rejects: echoed output silently, others with a warning', () => {
    const { body, built } = build(MISTRAL_PROFILE, MISTRAL, {
      messages: [
        { role: 'user', content: 'a', name: 'bob' },
        { role: 'assistant', content: 'b', reasoning_content: 'thought', refusal: null, annotations: [] },
        { role: 'user', content: 'c' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ]);
    expect(built.warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[0].name' })]);
  });

  it('drops the parameters Mistral rejects with warnings', () => {
    const { body, built } = build(MISTRAL_PROFILE, MISTRAL, { logprobs: true, top_logprobs: 1, logit_bias: { '1': 1 }, user: 'u', top_k: 3, max_tokens: 50 });
    expect(body).toEqual({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 50 });
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['logit_bias', 'logprobs', 'top_k', 'top_logprobs', 'user']);
  });

  it('maps reasoning_effort to none|high on the reasoning-capable models', () => {
    const medium = target('mistral', 'https://api.mistral.ai/v1', 'mistral-medium-2604');
    expect(build(MISTRAL_PROFILE, medium, { reasoning_effort: 'low' }).body.reasoning_effort).toBe('high');
    expect(build(MISTRAL_PROFILE, medium, { reasoning_effort: 'off' }).body.reasoning_effort).toBe('none');
    // A model that cannot reason: off is honoured as it is, quietly.
    const large = build(MISTRAL_PROFILE, MISTRAL, { reasoning_effort: 'off' });
    expect(large.body).not.toHaveProperty('reasoning_effort');
    expect(large.built.warnings).toEqual([]);
  });

  it('reads the §11.4 response and the extra finish reasons', () => {
    const response = (finish: string) => ({
      id: 'cmpl-9',
      object: 'chat.completion',
      created: 1767225600,
      model: 'mistral-large-latest',
      choices: [{ index: 0, message: { role: 'assistant', content: '18°C in Paris.', tool_calls: null }, finish_reason: finish }],
      usage: { prompt_tokens: 88, completion_tokens: 7, total_tokens: 95 },
    });
    const result = ADAPTER.parseResponse(response('stop'), chatRequest({}));
    expect(result.choices[0]).toEqual({ index: 0, finishReason: 'stop', message: { content: '18°C in Paris.' } });
    expect(result.usage?.totalTokens).toBe(95);
    expect(ADAPTER.parseResponse(response('model_length'), chatRequest({})).choices[0]?.finishReason).toBe('length');
    expect(() => ADAPTER.parseResponse(response('error'), chatRequest({}))).toThrow(expect.objectContaining({ code: 'upstream_error', retryable: true }));
  });

  it('flattens Magistral content chunks: text into content, thinking into reasoning_content', () => {
    const result = ADAPTER.parseResponse(
      {
        id: 'cmpl-10',
        object: 'chat.completion',
        created: 1767225600,
        model: 'magistral-medium-latest',
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            message: { role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Two plus two.' }] }, { type: 'text', text: '4' }] },
          },
        ],
      },
      chatRequest({}),
    );
    expect(result.choices[0]?.message).toEqual({ content: '4', reasoningContent: 'Two plus two.' });
    const events = decode(ADAPTER, [
      { ...HEAD, choices: [{ index: 0, delta: { role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Two' }] }] }, finish_reason: null }] },
      { ...HEAD, choices: [{ index: 0, delta: { content: [{ type: 'thinking', thinking: [{ type: 'text', text: ' plus two.' }] }] }, finish_reason: null }] },
      { ...HEAD, choices: [{ index: 0, delta: { content: '4' }, finish_reason: 'stop' }] },
      '[DONE]',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Two' },
      { type: 'reasoning-delta', choice: 0, text: ' plus two.' },
      { type: 'text-delta', choice: 0, text: '4' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('reads flat error bodies, and the 422 list of rejected fields', () => {
    const flat = JSON.stringify({ object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited', param: null, code: '1300' });
    expect(ADAPTER.parseError(429, flat, {})).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    const invalid = JSON.stringify({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_error', param: null, code: null });
    const error = ADAPTER.parseError(422, invalid, {});
    expect(error).toMatchObject({ status: 422, code: 'invalid_request' });
    expect(error.message).toContain('Extra inputs are not permitted');
  });
});

describe('Groq (§11.5)', () => {
  const GROQ = target('groq', 'https://api.groq.com/openai/v1', 'openai/gpt-oss-120b', { ...OPTIONAL, reasoning: 'always' });

  it('builds the §11.5 request: no logprobs, logit_bias, top_logprobs, name or n>1, each with a warning', () => {
    const { body, built } = build(GROQ_PROFILE, GROQ, {
      messages: [{ role: 'user', content: 'Hi', name: 'bob' }],
      reasoning_effort: 'low',
      stream: true,
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { '1': 5 },
      n: 2,
    });
    expect(body).toEqual({
      model: 'openai/gpt-oss-120b',
      messages: [{ role: 'user', content: 'Hi' }],
      reasoning_format: 'parsed',
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(built.url).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['logit_bias', 'logprobs', 'messages[0].name', 'n', 'top_logprobs']);
    expect(build(GROQ_PROFILE, GROQ, { n: 1 }).body.n).toBe(1);
  });

  it('does not send reasoning back on assistant turns (Groq 400s on it)', () => {
    const messages = build(GROQ_PROFILE, GROQ, { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', reasoning_content: 'r', reasoning: 'r' }, { role: 'user', content: 'c' }] }).body.messages;
    expect(messages).toEqual([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }]);
  });

  it('maps effort onto qwen3\'s none|default switch', () => {
    const qwen = target('groq', 'https://api.groq.com/openai/v1', 'qwen/qwen3-32b');
    expect(build(GROQ_PROFILE, qwen, { reasoning_effort: 'off' }).body).toMatchObject({ reasoning_effort: 'none', reasoning_format: 'parsed' });
    expect(build(GROQ_PROFILE, qwen, { reasoning_effort: 'high' }).body.reasoning_effort).toBe('default');
  });

  it('reads the §11.5 last chunk: usage from x_groq, reasoning deltas from `reasoning`', () => {
    const events = decode(createOpenAIProtocolAdapter(GROQ_PROFILE, EFFECTS), [
      { ...HEAD, model: 'openai/gpt-oss-120b', choices: [{ index: 0, delta: { role: 'assistant', reasoning: 'Say hi.' }, finish_reason: null }] },
      { ...HEAD, model: 'openai/gpt-oss-120b', choices: [{ index: 0, delta: { content: 'Hi!' }, finish_reason: null }] },
      {
        id: 'chatcmpl-7',
        object: 'chat.completion.chunk',
        created: 1767225600,
        model: 'openai/gpt-oss-120b',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }],
        x_groq: { id: 'req_01', usage: { queue_time: 0.01, prompt_tokens: 70, prompt_time: 0.003, completion_tokens: 25, completion_time: 0.05, total_tokens: 95, total_time: 0.053 } },
      },
      '[DONE]',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Say hi.' },
      { type: 'text-delta', choice: 0, text: 'Hi!' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage: { promptTokens: 70, completionTokens: 25, totalTokens: 95, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ]);
  });
});

describe('Together (§11.6)', () => {
  const TOGETHER = target('together_ai', 'https://api.together.xyz/v1', 'meta-llama/Llama-3.3-70B-Instruct-Turbo');

  it('builds the §11.6 request: sampling extras pass, logprobs:true + top_logprobs:k become logprobs:k', () => {
    const { body, built } = build(TOGETHER_PROFILE, TOGETHER, { top_k: 50, repetition_penalty: 1.1, min_p: 0.05, logprobs: true, top_logprobs: 2 });
    expect(body).toEqual({ model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', messages: [{ role: 'user', content: 'Hi' }], top_k: 50, repetition_penalty: 1.1, min_p: 0.05, logprobs: 2 });
    expect(built.warnings).toEqual([]);
    expect(build(TOGETHER_PROFILE, TOGETHER, { logprobs: true }).body.logprobs).toBe(1);
    expect(build(TOGETHER_PROFILE, TOGETHER, { logprobs: false }).body).not.toHaveProperty('logprobs');
  });

  it('normalises Together logprobs into OpenAI\'s content list', () => {
    const result = createOpenAIProtocolAdapter(TOGETHER_PROFILE, EFFECTS).parseResponse(
      {
        id: 't-1',
        object: 'chat.completion',
        created: 1767225600,
        model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi!' }, logprobs: { tokens: ['Hi', '!'], token_logprobs: [-0.1, -0.2], top_logprobs: [{ Hi: -0.1, Hello: -2.5 }, { '!': -0.2 }] } }],
      },
      chatRequest({}),
    );
    expect(result.choices[0]?.logprobs).toEqual({
      content: [
        { token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105] }, { token: 'Hello', logprob: -2.5, bytes: [72, 101, 108, 108, 111] }] },
        { token: '!', logprob: -0.2, bytes: [33], top_logprobs: [{ token: '!', logprob: -0.2, bytes: [33] }] },
      ],
      refusal: null,
    });
  });
});

describe('Together: inline <think> reasoning (§7)', () => {
  const R1 = 'deepseek-ai/DeepSeek-R1';
  const adapter = createOpenAIProtocolAdapter(TOGETHER_PROFILE, EFFECTS);
  const completion = (message: Record<string, unknown>, finishReason = 'stop') => ({
    id: 't-2',
    object: 'chat.completion',
    created: 1767225600,
    model: R1,
    choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', ...message } }],
  });
  const delta = (fields: Record<string, unknown>, finishReason: string | null = null, logprobs: unknown = null) => ({
    ...HEAD,
    model: R1,
    choices: [{ index: 0, delta: fields, logprobs, finish_reason: finishReason }],
  });

  it('splits a leading block into reasoning_content, dropping the whitespace after </think>', () => {
    const result = adapter.parseResponse(completion({ content: '<think>abc</think>\n\nanswer' }), chatRequest({}));
    expect(result.choices[0]?.message).toEqual({ content: 'answer', reasoningContent: 'abc' });
  });

  it('takes an unterminated block (cut by max_tokens) as all reasoning, with empty content', () => {
    const result = adapter.parseResponse(completion({ content: '\n<think>Step 1. Step 2' }, 'length'), chatRequest({}));
    expect(result.choices[0]).toMatchObject({ finishReason: 'length', message: { content: '', reasoningContent: 'Step 1. Step 2' } });
  });

  it('answers content null when only reasoning came before tool calls', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } };
    const result = adapter.parseResponse(completion({ content: '<think>Need the tool.</think>\n\n', tool_calls: [call] }, 'tool_calls'), chatRequest({}));
    expect(result.choices[0]?.message).toEqual({ content: null, reasoningContent: 'Need the tool.', toolCalls: [call] });
  });

  it('leaves content alone when the host sent a reasoning field, or when the tag is not at the start', () => {
    const parse = (message: Record<string, unknown>) => adapter.parseResponse(completion(message), chatRequest({})).choices[0]?.message;
    expect(parse({ content: '<think>x</think>y', reasoning: 'own' })).toEqual({ content: '<think>x</think>y', reasoningContent: 'own' });
    expect(parse({ content: 'Write <think>x</think> to think.' })).toEqual({ content: 'Write <think>x</think> to think.' });
  });

  it('splits a streamed block cut anywhere, flushing before finish; the answer keeps its logprobs', () => {
    const logprobs = { tokens: ['Four'], token_logprobs: [-0.5], top_logprobs: [{ Four: -0.5 }] };
    const events = decode(adapter, [
      delta({ role: 'assistant', content: '' }),
      delta({ content: '<thi' }),
      delta({ content: 'nk>Two and' }),
      delta({ content: ' two.</th' }),
      delta({ content: 'ink>\n' }),
      delta({ content: '\nFour' }, null, logprobs),
      delta({ content: '.</th' }, 'stop'),
      '[DONE]',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Two and' },
      { type: 'reasoning-delta', choice: 0, text: ' two.' },
      { type: 'text-delta', choice: 0, text: 'Four', logprobs: { content: [expect.objectContaining({ token: 'Four', logprob: -0.5 })], refusal: null } },
      { type: 'text-delta', choice: 0, text: '.</th' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('streams an unterminated block as reasoning to the end, and its held tail too', () => {
    const events = decode(adapter, [delta({ content: '<think>Step 1 </' }), delta({}, 'length'), '[DONE]']);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Step 1 ' },
      { type: 'reasoning-delta', choice: 0, text: '</' },
      { type: 'finish', choice: 0, reason: 'length' },
    ]);
  });

  it('streams content untouched when reasoning came in its own field first, or the content does not open with <think>', () => {
    const separate = decode(adapter, [delta({ reasoning: 'own' }), delta({ content: '<think>x</think>y' }, 'stop')]);
    expect(separate.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'own' },
      { type: 'text-delta', choice: 0, text: '<think>x</think>y' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
    const later = decode(adapter, [delta({ content: 'Write ' }), delta({ content: '<think>x</think>' }, 'stop')]);
    expect(later.slice(1)).toEqual([
      { type: 'text-delta', choice: 0, text: 'Write ' },
      { type: 'text-delta', choice: 0, text: '<think>x</think>' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });

  it('is on for every openai-compatible host profile, off for OpenAI (which never sends reasoning text)', () => {
    for (const profile of Object.values(COMPAT_PROFILES_BY_NAME)) expect(profile.inlineReasoningTags).toBe(true);
    expect(OPENAI_PROFILE.inlineReasoningTags).toBeUndefined();
    const openai = createOpenAIProtocolAdapter(OPENAI_PROFILE, EFFECTS);
    expect(openai.parseResponse(completion({ content: '<think>x</think>y' }), chatRequest({})).choices[0]?.message).toEqual({ content: '<think>x</think>y' });
  });
});

describe('Fireworks (§11.7)', () => {
  it('sends the §11.7 request with the model id as configured and its extras through extensions', () => {
    const fireworks = target('fireworks', 'https://api.fireworks.ai/inference/v1', 'accounts/fireworks/models/kimi-k2p6');
    const { body, built } = build(FIREWORKS_PROFILE, fireworks, {
      max_tokens: 512,
      top_k: 40,
      min_p: 0.05,
      response_format: { type: 'json_object' },
      extensions: { fireworks: { context_length_exceeded_behavior: 'error' } },
    });
    expect(built.url).toBe('https://api.fireworks.ai/inference/v1/chat/completions');
    expect(body).toEqual({
      model: 'accounts/fireworks/models/kimi-k2p6',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 512,
      top_k: 40,
      min_p: 0.05,
      response_format: { type: 'json_object' },
      context_length_exceeded_behavior: 'error',
    });
    expect(build(FIREWORKS_PROFILE, fireworks, { top_a: 0.2 }).built.warnings.map((warning) => warning.param)).toEqual(['top_a']);
  });
});
