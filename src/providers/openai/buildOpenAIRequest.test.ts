import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../core/chatMessage.js';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { UpstreamTarget } from '../adapter.js';
import { OPENAI_COMPATIBLE_PROFILE } from '../openai-compatible/openaiCompatibleAdapter.js';
import { buildOpenAIRequest } from './buildOpenAIRequest.js';
import { OPENAI_PROFILE } from './openaiAdapter.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';

const USER = [{ role: 'user', content: 'hi' }];

const PERMISSIVE: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };

const OPENAI_TARGET: UpstreamTarget = {
  providerId: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-test-123',
  headers: {},
  upstreamModel: 'gpt-5.2',
  capabilities: PERMISSIVE,
  maxOutputTokens: undefined,
};

const COMPATIBLE_TARGET: UpstreamTarget = {
  providerId: 'together_ai',
  baseUrl: 'https://api.together.xyz/v1',
  apiKey: 'tg-key',
  headers: { 'x-team': 'a' },
  upstreamModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  capabilities: PERMISSIVE,
  maxOutputTokens: 8192,
};

const PROFILES: readonly [string, OpenAIProtocolProfile, UpstreamTarget][] = [
  ['openai', OPENAI_PROFILE, OPENAI_TARGET],
  ['openai-compatible', OPENAI_COMPATIBLE_PROFILE, COMPATIBLE_TARGET],
];

/** A ChatRequest exactly as the HTTP layer would produce it from a client body. */
function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'm', messages: USER, ...fields }).request;
}

function build(fields: Record<string, unknown>, profile: OpenAIProtocolProfile = OPENAI_PROFILE, target: UpstreamTarget = OPENAI_TARGET) {
  const request = chatRequest(fields);
  const built = buildOpenAIRequest(request, target, profile);
  return { request, built, body: JSON.parse(built.body) as Record<string, unknown> };
}

describe('buildOpenAIRequest: body', () => {
  it('sends the §11.1 request to OpenAI with model, messages, then the parameters', () => {
    const { body, built } = build({
      model: 'gpt-5.2',
      reasoning_effort: 'low',
      max_completion_tokens: 1024,
      messages: [{ role: 'developer', content: 'Be terse.' }, { role: 'user', content: '2+2?' }],
      stream: true,
      stream_options: { include_usage: true },
      prompt_cache_key: 'user-42',
      safety_identifier: 'u_42',
      service_tier: 'auto',
    });
    expect(body).toEqual({
      model: 'gpt-5.2',
      messages: [{ role: 'developer', content: 'Be terse.' }, { role: 'user', content: '2+2?' }],
      prompt_cache_key: 'user-42',
      safety_identifier: 'u_42',
      max_completion_tokens: 1024,
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(Object.keys(body).slice(0, 2)).toEqual(['model', 'messages']);
    expect(built.warnings).toEqual([]);
  });

  it.each(PROFILES)('%s: uses the target model, not the requested one, and puts model and messages first', (_name, profile, target) => {
    const { body, request } = build({ model: 'alias-of-something', temperature: 0.5, seed: 7, stop: 'END', tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'auto' }, profile, target);
    expect(body.model).toBe(target.upstreamModel);
    expect(Object.keys(body)).toEqual(['model', 'messages', ...Object.keys(request.params)]);
    expect(body).toMatchObject({ temperature: 0.5, seed: 7, stop: ['END'], tool_choice: 'auto', tools: [{ type: 'function', function: { name: 'f' } }] });
  });

  it.each(PROFILES)('%s: sends tool_choice and parallel_tool_calls only together with tools', (_name, profile, target) => {
    const without = build({ tool_choice: 'none', parallel_tool_calls: false }, profile, target);
    expect(without.body).not.toHaveProperty('tool_choice');
    expect(without.body).not.toHaveProperty('parallel_tool_calls');
    expect(without.built.warnings).toEqual([]);
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(build({ tools, tool_choice: 'none', parallel_tool_calls: false }, profile, target).body).toMatchObject({ tools, tool_choice: 'none', parallel_tool_calls: false });
  });

  it.each<[string, OpenAIProtocolProfile, UpstreamTarget, string, string]>([
    ['openai', OPENAI_PROFILE, OPENAI_TARGET, 'max_completion_tokens', 'max_tokens'],
    ['openai-compatible', OPENAI_COMPATIBLE_PROFILE, COMPATIBLE_TARGET, 'max_tokens', 'max_completion_tokens'],
  ])('%s: the output limit goes out as %s', (_name, profile, target, sent, absent) => {
    for (const field of ['max_tokens', 'max_completion_tokens']) {
      const { body } = build({ [field]: 300 }, profile, target);
      expect(body[sent]).toBe(300);
      expect(body).not.toHaveProperty(absent);
    }
  });

  it.each<[string, string]>([
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['xhigh', 'xhigh'],
    ['max', 'max'],
    ['off', 'none'],
    ['none', 'none'],
    ['minimal', 'low'],
  ])('reasoning_effort %s is sent as %s', (effort, sent) => {
    for (const [, profile, target] of PROFILES) {
      // `max` means the model's ceiling, which is xhigh on gpt-5.2 (providers.md §1.2: max only on the newest models).
      const expected = effort === 'max' && profile === OPENAI_PROFILE ? 'xhigh' : sent;
      expect(build({ reasoning_effort: effort }, profile, target).body.reasoning_effort).toBe(expected);
    }
  });

  it.each(PROFILES)('%s: a stream asks for usage whatever the client sent', (_name, profile, target) => {
    for (const streamOptions of [undefined, { include_usage: false }, {}]) {
      const { body, built } = build({ stream: true, stream_options: streamOptions }, profile, target);
      expect(body.stream).toBe(true);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(built.headers.accept).toBe('text/event-stream');
    }
  });

  it.each(PROFILES)('%s: a non-stream request has no stream fields and no accept header', (_name, profile, target) => {
    const { body, built } = build({ stream: false, stream_options: { include_usage: true } }, profile, target);
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
    expect(built.headers).not.toHaveProperty('accept');
  });
});

describe('buildOpenAIRequest: unsupported parameters', () => {
  const EVERYTHING = {
    temperature: 0.2,
    top_p: 0.9,
    top_k: 40,
    min_p: 0.05,
    top_a: 0.1,
    repetition_penalty: 1.1,
    web_search_options: { search_context_size: 'low' },
    verbosity: 'low',
    safety_identifier: 'u_1',
    prompt_cache_retention: '24h',
    prompt_cache_key: 'k',
  };

  it.each<[string, OpenAIProtocolProfile, UpstreamTarget, string[], string[]]>([
    ['openai', OPENAI_PROFILE, OPENAI_TARGET, ['top_k', 'min_p', 'top_a', 'repetition_penalty'], ['web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_retention', 'prompt_cache_key']],
    ['openai-compatible', OPENAI_COMPATIBLE_PROFILE, COMPATIBLE_TARGET, ['prompt_cache_key', 'prompt_cache_retention', 'safety_identifier', 'web_search_options', 'verbosity'], ['top_k', 'min_p', 'top_a', 'repetition_penalty']],
  ])('%s drops %j with one warning each and keeps %j', (_name, profile, target, dropped, kept) => {
    const { body, built } = build(EVERYTHING, profile, target);
    for (const name of dropped) expect(body).not.toHaveProperty(name);
    for (const name of kept) expect(body).toHaveProperty(name);
    expect(body.temperature).toBe(0.2);
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual([...dropped].sort());
    for (const warning of built.warnings) {
      expect(warning.code).toBe('unsupported_parameter');
      expect(warning.message).toContain(`'${warning.param}'`);
      expect(warning.message).toContain(target.providerId);
    }
  });

  it('does not warn about parameters that were not sent', () => {
    expect(build({ temperature: 1 }, OPENAI_PROFILE).built.warnings).toEqual([]);
  });
});

describe('buildOpenAIRequest: foreign message fields', () => {
  const CONVERSATION = [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Long document', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Question?' },
      ],
    },
    {
      role: 'assistant',
      content: '',
      reasoning_content: 'Need the weather tool.',
      thinking_blocks: [{ type: 'thinking', thinking: 'x', signature: 'sig' }],
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: 'abc' } } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
    { role: 'tool', tool_call_id: 'call_2', content: 'noon' },
    { role: 'user', content: 'Thanks' },
  ];

  it('OpenAI: strips reasoning, thinking blocks, part cache_control and tool-call extra_content', () => {
    const { request, built } = build({ messages: CONVERSATION });
    const sent = (JSON.parse(built.body) as { messages: Record<string, unknown>[] }).messages;
    expect(sent[1]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Long document' }, { type: 'text', text: 'Question?' }] });
    expect(sent[2]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(sent.slice(3)).toEqual(CONVERSATION.slice(3));
    expect(sent[0]).toEqual(CONVERSATION[0]);
    // The neutral request is not changed by the translation.
    expect(request.messages).toEqual(CONVERSATION);
  });

  it('openai-compatible: keeps reasoning_content (DeepSeek needs it back) but strips the other foreign fields', () => {
    const { built } = build({ messages: CONVERSATION }, OPENAI_COMPATIBLE_PROFILE, COMPATIBLE_TARGET);
    const sent = (JSON.parse(built.body) as { messages: Record<string, unknown>[] }).messages;
    expect(sent[2]).toEqual({
      role: 'assistant',
      content: '',
      reasoning_content: 'Need the weather tool.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(sent[1]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Long document' }, { type: 'text', text: 'Question?' }] });
  });

  /** The messages array handed to JSON.stringify, so that object identity can be checked. */
  function sentMessages(request: ChatRequest, profile: OpenAIProtocolProfile, target: UpstreamTarget): ChatMessage[] {
    const spy = vi.spyOn(JSON, 'stringify');
    try {
      buildOpenAIRequest(request, target, profile);
      const body = spy.mock.calls.map((call) => call[0] as unknown).find((value) => value !== null && typeof value === 'object' && 'messages' in value);
      if (body === undefined) throw new Error('no body was serialised');
      return (body as { messages: ChatMessage[] }).messages;
    } finally {
      spy.mockRestore();
    }
  }

  it.each(PROFILES)('%s: sends the very same messages array when nothing is foreign', (_name, profile, target) => {
    const request = chatRequest({ messages: [{ role: 'system', content: 'x' }, { role: 'user', content: [{ type: 'text', text: 'y' }] }] });
    expect(sentMessages(request, profile, target)).toBe(request.messages);
  });

  it.each(PROFILES)('%s: copies only the messages, parts and calls that change', (_name, profile, target) => {
    const request = chatRequest({ messages: CONVERSATION });
    const sent = sentMessages(request, profile, target);
    expect(sent).not.toBe(request.messages);
    for (const index of [0, 3, 4, 5]) expect(sent[index]).toBe(request.messages[index]);
    const user = sent[1] as { content: unknown[] };
    const originalUser = request.messages[1] as { content: unknown[] };
    expect(user).not.toBe(originalUser);
    expect(user.content[0]).not.toBe(originalUser.content[0]);
    expect(user.content[1]).toBe(originalUser.content[1]);
    const assistant = sent[2] as { tool_calls: unknown[] };
    const originalAssistant = request.messages[2] as { tool_calls: unknown[] };
    expect(assistant.tool_calls[0]).not.toBe(originalAssistant.tool_calls[0]);
    expect(assistant.tool_calls[1]).toBe(originalAssistant.tool_calls[1]);
    // Nothing the caller passed is mutated.
    expect(originalUser.content[0]).toHaveProperty('cache_control');
    expect(originalAssistant.tool_calls[0]).toHaveProperty('extra_content');
  });

  it('keeps a leading foreign-free prefix and copies from the first changed message on', () => {
    const request = chatRequest({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b', reasoning: 'thought' },
        { role: 'user', content: 'c' },
      ],
    });
    const sent = sentMessages(request, OPENAI_PROFILE, OPENAI_TARGET);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toBe(request.messages[0]);
    expect(sent[1]).toEqual({ role: 'assistant', content: 'b' });
    expect(sent[2]).toBe(request.messages[2]);
  });
});

describe('buildOpenAIRequest: extensions', () => {
  it('merges extensions.openai and extensions.<provider id> for OpenAI, but not other providers', () => {
    const { body, built } = build(
      {
        extensions: {
          openai: { service_tier: 'flex', store: false },
          openai_eu: { metadata: { team: 'a' } },
          anthropic: { top_k: 5 },
          together_ai: { safety_model: 'x' },
        },
      },
      OPENAI_PROFILE,
      { ...OPENAI_TARGET, providerId: 'openai_eu' },
    );
    expect(body).toMatchObject({ service_tier: 'flex', store: false, metadata: { team: 'a' } });
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('safety_model');
    expect(built.warnings).toEqual([]);
  });

  it('merges only extensions.<provider id> for an openai-compatible host', () => {
    const { body } = build(
      { extensions: { openai: { service_tier: 'flex' }, together_ai: { safety_model: 'Meta-Llama/Llama-Guard-7b', top_k: 50 } } },
      OPENAI_COMPATIBLE_PROFILE,
      COMPATIBLE_TARGET,
    );
    expect(body).toMatchObject({ safety_model: 'Meta-Llama/Llama-Guard-7b', top_k: 50 });
    expect(body).not.toHaveProperty('service_tier');
  });

  it('merges extension fields after the parameters, without reordering model and messages', () => {
    const { body } = build({ temperature: 1, extensions: { openai: { service_tier: 'flex' } } });
    expect(Object.keys(body)).toEqual(['model', 'messages', 'temperature', 'service_tier']);
  });

  it('removes credentials at any depth and core fields at the top level, with warnings', () => {
    const { body, built } = build({
      model: 'gpt-5.2',
      messages: USER,
      temperature: 0.3,
      extensions: {
        openai: {
          API_KEY: 'sk-leak',
          Model: 'gpt-4o',
          Max_Tokens: 5,
          maxtokens: 6,
          STREAM: false,
          nested: { authorization: 'Bearer x', keep: 1, list: [{ 'X-Api-Key': 'k', ok: true }] },
          metadata: { model: 'kept: core names are top-level only' },
        },
      },
    });
    expect(body.model).toBe('gpt-5.2');
    expect(body.temperature).toBe(0.3);
    expect(body).not.toHaveProperty('API_KEY');
    expect(body).not.toHaveProperty('Model');
    expect(body).not.toHaveProperty('Max_Tokens');
    expect(body).not.toHaveProperty('maxtokens');
    expect(body).not.toHaveProperty('STREAM');
    expect(body.nested).toEqual({ keep: 1, list: [{ ok: true }] });
    expect(body.metadata).toEqual({ model: 'kept: core names are top-level only' });
    expect(built.warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['blocked_extension_field', 'extensions.openai.API_KEY'],
      ['blocked_extension_field', 'extensions.openai.Model'],
      ['blocked_extension_field', 'extensions.openai.Max_Tokens'],
      ['blocked_extension_field', 'extensions.openai.maxtokens'],
      ['blocked_extension_field', 'extensions.openai.STREAM'],
      ['blocked_extension_field', 'extensions.openai.nested.authorization'],
      ['blocked_extension_field', 'extensions.openai.nested.list[0].X-Api-Key'],
    ]);
    expect(built.body).not.toContain('sk-leak');
    expect(built.body).not.toContain('Bearer x');
  });

  it('blocks reasoning fields only when reasoning_effort is sent', () => {
    const extensions = { openai: { reasoning_effort: 'high', reasoning: { effort: 'high' } } };
    const without = build({ extensions });
    expect(without.body).toMatchObject({ reasoning_effort: 'high', reasoning: { effort: 'high' } });
    expect(without.built.warnings).toEqual([]);

    const withEffort = build({ reasoning_effort: 'low', extensions });
    expect(withEffort.body.reasoning_effort).toBe('low');
    expect(withEffort.body).not.toHaveProperty('reasoning');
    expect(withEffort.built.warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['blocked_extension_field', 'extensions.openai.reasoning_effort'],
      ['blocked_extension_field', 'extensions.openai.reasoning'],
    ]);
  });

  it('lists warnings of dropped parameters before those of blocked extension fields', () => {
    const { built } = build({ top_k: 3, extensions: { openai: { token: 't' } } });
    expect(built.warnings.map((warning) => warning.code)).toEqual(['unsupported_parameter', 'blocked_extension_field']);
  });
});

describe('buildOpenAIRequest: URL and headers', () => {
  it('posts to the base URL plus /chat/completions', () => {
    expect(build({}).built.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(build({}, OPENAI_COMPATIBLE_PROFILE, COMPATIBLE_TARGET).built.url).toBe('https://api.together.xyz/v1/chat/completions');
  });

  it('sends a bearer token only when there is a key', () => {
    expect(build({}).built.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-test-123' });
    const keyless = buildOpenAIRequest(chatRequest({}), { ...COMPATIBLE_TARGET, apiKey: undefined, headers: {} }, OPENAI_COMPATIBLE_PROFILE);
    expect(keyless.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('adds the provider headers from config and keeps the key as authorization', () => {
    const built = buildOpenAIRequest(
      chatRequest({ stream: true }),
      { ...OPENAI_TARGET, headers: { 'OpenAI-Organization': 'org_1', 'OpenAI-Project': 'proj_1', authorization: 'Bearer wrong' } },
      OPENAI_PROFILE,
    );
    expect(built.headers).toEqual({
      'content-type': 'application/json',
      'OpenAI-Organization': 'org_1',
      'OpenAI-Project': 'proj_1',
      authorization: 'Bearer sk-test-123',
      accept: 'text/event-stream',
    });
  });

  it('produces a body that is valid JSON with non-ASCII text intact', () => {
    const { body } = build({ messages: [{ role: 'user', content: 'Wetter in Zürich? 🌦 "quoted"\n' }] });
    expect(body.messages).toEqual([{ role: 'user', content: 'Wetter in Zürich? 🌦 "quoted"\n' }]);
  });
});
