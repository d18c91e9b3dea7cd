import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { UpstreamTarget } from '../adapter.js';
import { buildAnthropicRequest } from './buildAnthropicRequest.js';

const PERMISSIVE: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };

function target(upstreamModel = 'claude-sonnet-4-5', overrides: Partial<UpstreamTarget> = {}): UpstreamTarget {
  return {
    providerId: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    apiKey: 'sk-ant-test',
    headers: {},
    upstreamModel,
    capabilities: PERMISSIVE,
    maxOutputTokens: undefined,
    ...overrides,
  };
}

function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...fields }).request;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into the JSON body whose shape is under test
type Body = Record<string, any>;

function build(fields: Record<string, unknown>, upstream: UpstreamTarget | string = 'claude-sonnet-4-5') {
  const built = buildAnthropicRequest(chatRequest(fields), typeof upstream === 'string' ? target(upstream) : upstream);
  return { built, body: JSON.parse(built.body) as Body, params: built.warnings.map((warning) => warning.param) };
}

function thrown(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const WEATHER_TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('buildAnthropicRequest: the §3.9 worked example', () => {
  const REQUEST = {
    model: 'claude-sonnet-4-5',
    max_completion_tokens: 8000,
    reasoning_effort: 'low',
    messages: [
      { role: 'developer', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo…' } }] },
    ],
    tools: [WEATHER_TOOL],
    tool_choice: 'auto',
    parallel_tool_calls: false,
    safety_identifier: 'u_7f3a',
    stream: false,
  };

  it('sends exactly the Anthropic request of the reference', () => {
    const { built, body } = build(REQUEST);
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8000,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo…' } },
          ],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      metadata: { user_id: 'u_7f3a' },
    });
    expect(Object.keys(body).slice(0, 4)).toEqual(['model', 'max_tokens', 'system', 'messages']);
    expect(Object.keys(body.tools[0])).toEqual(['name', 'description', 'input_schema']);
    expect(built.warnings).toEqual([]);
  });

  it('posts to {base_url}/v1/messages with the key, the version and no beta header', () => {
    const { built } = build(REQUEST);
    expect(built.url).toBe('https://api.anthropic.com/v1/messages');
    expect(built.headers).toEqual({ 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test' });
  });

  it('turns the follow-up turn (assistant echo + tool result) into the reference messages', () => {
    const { body } = build({
      ...REQUEST,
      messages: [
        ...REQUEST.messages,
        {
          role: 'assistant',
          content: 'Let me check.',
          reasoning_content: 'User wants weather…',
          thinking_blocks: [{ type: 'thinking', thinking: 'User wants weather…', signature: 'EqQBCkgIARAB…' }],
          tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_01A', content: '18°C, cloudy' },
      ],
    });
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'User wants weather…', signature: 'EqQBCkgIARAB…' },
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '18°C, cloudy' }] },
    ]);
  });
});

describe('buildAnthropicRequest: headers and extensions', () => {
  it('streams with accept: text/event-stream and stream: true', () => {
    const { built, body } = build({ stream: true, stream_options: { include_usage: false } });
    expect(body.stream).toBe(true);
    expect(body).not.toHaveProperty('stream_options');
    expect(built.headers.accept).toBe('text/event-stream');
  });

  it('sends configured headers, merges a configured anthropic-beta with the ones a feature needs, and omits x-api-key without a key', () => {
    const messages = [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file_011CNha8iCJcU1wXNR6q4V8w', filename: 'a.pdf' } }] }];
    const built = buildAnthropicRequest(chatRequest({ messages }), target('claude-sonnet-4-5', { apiKey: undefined, headers: { 'Anthropic-Beta': 'context-1m-2025-08-07', 'x-team': 'a' } }));
    expect(built.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-team': 'a',
      'anthropic-beta': 'context-1m-2025-08-07,files-api-2025-04-14',
    });
    expect(JSON.parse(built.body).messages[0].content).toEqual([{ type: 'document', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' }, title: 'a.pdf' }]);
  });

  it('merges extensions.anthropic and extensions.<provider id> after sanitising them', () => {
    const { body, built } = build(
      {
        extensions: {
          anthropic: { top_k: 5, service_tier: 'standard_only', api_key: 'leak', system: 'no', metadata: { user_id: 'x', token: 't' } },
          anthropic_eu: { inference_geo: 'eu' },
          openai: { store: true },
        },
      },
      target('claude-sonnet-4-5', { providerId: 'anthropic_eu' }),
    );
    expect(body).toMatchObject({ top_k: 5, service_tier: 'standard_only', inference_geo: 'eu', metadata: { user_id: 'x' } });
    expect(body.metadata).not.toHaveProperty('token');
    expect(body).not.toHaveProperty('store');
    expect(body).not.toHaveProperty('api_key');
    expect(body.system).toBeUndefined();
    expect(built.warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['blocked_extension_field', 'extensions.anthropic.api_key'],
      ['blocked_extension_field', 'extensions.anthropic.system'],
      ['blocked_extension_field', 'extensions.anthropic.metadata.token'],
    ]);
  });

  it('blocks thinking and output_config.effort from extensions when reasoning_effort is sent, keeping the rest of output_config', () => {
    const { body, params } = build({ reasoning_effort: 'high', extensions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 50_000 }, output_config: { effort: 'low', other: 1 } } } }, 'claude-opus-4-6');
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ other: 1, effort: 'high' });
    expect(params).toEqual(['extensions.anthropic.thinking', 'extensions.anthropic.output_config.effort']);
  });

  it('passes a native thinking extension through without reasoning_effort, normalised for adaptive-only models', () => {
    expect(build({ extensions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2000 } } } }).body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    const adaptiveOnly = build({ temperature: 0.3, extensions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2000, display: 'omitted' } } } }, 'claude-opus-4-7');
    expect(adaptiveOnly.body.thinking).toEqual({ type: 'adaptive', display: 'omitted' });
    expect(adaptiveOnly.body).not.toHaveProperty('temperature');
    expect(adaptiveOnly.params).toEqual(['extensions.anthropic.thinking', 'temperature']);
    const disabled = build({ extensions: { anthropic: { thinking: { type: 'disabled' } } } }, 'claude-opus-4-7');
    expect(disabled.body).not.toHaveProperty('thinking');
    expect(disabled.params).toEqual(['extensions.anthropic.thinking']);
  });
});

describe('buildAnthropicRequest: messages', () => {
  it('hoists every system and developer message in order and warns about one that came mid-conversation', () => {
    const { body, built } = build({
      messages: [
        { role: 'system', content: 'A' },
        { role: 'developer', content: [{ type: 'text', text: 'B', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'C' },
      ],
    });
    expect(body.system).toEqual([{ type: 'text', text: 'A' }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'C' }]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
    expect(built.warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[3]' })]);
  });

  it('merges consecutive tool results into one user turn, results first, then the next user message', () => {
    const { body } = build({
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '21°C' }] },
        { role: 'user', content: 'Thanks, and tomorrow?' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '21°C' }] },
          { type: 'text', text: 'Thanks, and tomorrow?' },
        ],
      },
    ]);
  });

  it('sanitises foreign tool-call ids the same way in tool_use and tool_result', () => {
    const { body } = build({
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'functions.get_weather:3', type: 'function', function: { name: 'get_weather', arguments: '{}' } }, { id: 'functions.get_weather/3', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'functions.get_weather:3', content: 'a' },
        { role: 'tool', tool_call_id: 'functions.get_weather/3', content: 'b' },
      ],
    });
    const uses = body.messages[1].content.map((block: Body) => block.id);
    const results = body.messages[2].content.map((block: Body) => block.tool_use_id);
    expect(results).toEqual(uses);
    for (const id of uses) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(new Set(uses).size).toBe(2);
  });

  it('rejects tool-call arguments that are not a JSON object', () => {
    const messages = [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_weather', arguments: '{oops' } }] }, { role: 'tool', tool_call_id: 'c', content: 'a' }];
    expect(thrown(() => build({ tools: [WEATHER_TOOL], messages }))).toMatchObject({ status: 400, code: 'invalid_parameter_value', param: 'messages[1].tool_calls[0].function.arguments' });
  });

  it('defines stub tools, with tool_choice none, when the history uses tools but the request offers none', () => {
    const messages = [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: 'a' }];
    const { body, params } = build({ messages });
    expect(body.tools).toEqual([{ name: 'lookup', input_schema: { type: 'object', properties: {} } }]);
    expect(body.tool_choice).toEqual({ type: 'none' });
    expect(params).toEqual(['tools']);
  });

  it('converts images by URL and data URL, PDF data URLs and files into documents', () => {
    const pdf = 'data:application/pdf;base64,JVBERi0x';
    const { body } = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'image_url', image_url: { url: 'https://example.com/report.pdf?x=1' } },
            { type: 'image_url', image_url: { url: pdf } },
            { type: 'file', file: { file_data: pdf, filename: 'r.pdf' } },
            { type: 'file', file: { file_data: 'JVBERi0y' } },
            { type: 'file', file: { file_data: 'data:text/plain;base64,aGVsbG8=' } },
            { type: 'file', file: { file_data: 'data:image/webp;base64,UklGR' } },
            { type: 'text', text: '' },
          ],
        },
      ],
    });
    expect(body.messages[0].content).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf?x=1' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'r.pdf' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0y' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGR' } },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['audio', { type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }, 'messages[0].content[0]'],
    ['an unsupported image type', { type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0' } }, 'messages[0].content[0].image_url.url'],
    ['an OpenAI file id', { type: 'file', file: { file_id: 'file-abc123' } }, 'messages[0].content[0].file.file_id'],
  ])('rejects %s with 400 invalid_parameter_value', (_name, part, param) => {
    expect(thrown(() => build({ messages: [{ role: 'user', content: [part] }] }))).toMatchObject({ status: 400, code: 'invalid_parameter_value', param });
  });

  it('warns once that image detail has no equivalent', () => {
    const part = { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } };
    expect(build({ messages: [{ role: 'user', content: [part, part] }] }).params).toEqual(['image_url.detail']);
  });

  it('starts with a placeholder user turn when the conversation starts with the assistant, and trims a prefill', () => {
    const { body, params } = build({ messages: [{ role: 'assistant', content: 'Hello.' }, { role: 'user', content: 'Go on' }, { role: 'assistant', content: 'The answer is ' }] });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Go on' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'The answer is' }] },
    ]);
    expect(params).toEqual(['messages[2].content', 'messages']);
  });

  it('keeps assistant refusals as text and drops non-text assistant parts with a warning', () => {
    const { body, params } = build({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null, refusal: 'I cannot help.' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        { role: 'user', content: 'c' },
      ],
    });
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'I cannot help.' }] });
    expect(body.messages[3]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'No.' }] });
    expect(params).toEqual(['messages[3].content[1]']);
  });
});

describe('buildAnthropicRequest: thinking round trip', () => {
  const history = (assistant: Record<string, unknown>) => [
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }], ...assistant },
    { role: 'tool', tool_call_id: 'toolu_01A', content: 'sunny' },
  ];

  it('sends thinking and redacted blocks first in their assistant turn, unchanged and in order', () => {
    const blocks = [
      { type: 'thinking', thinking: 'First.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'thinking', thinking: 'Second.', signature: 'sig-2' },
    ];
    const { body } = build({ tools: [WEATHER_TOOL], messages: history({ thinking_blocks: blocks, reasoning_content: 'First.Second.' }) });
    expect(body.messages[1].content.slice(0, 3)).toEqual(blocks);
    expect(body.messages[1].content[3]).toEqual({ type: 'text', text: 'Checking.' });
  });

  it('removes cache_control from thinking blocks and skips malformed ones, with warnings', () => {
    const { body, params } = build({
      tools: [WEATHER_TOOL],
      messages: history({ thinking_blocks: [{ type: 'thinking', thinking: 'T', signature: 's', cache_control: { type: 'ephemeral' } }, { type: 'thinking', thinking: 'no signature' }] }),
    });
    expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'T', signature: 's' });
    expect(body.messages[1].content[1].type).toBe('text');
    expect(params).toEqual(['messages[1].thinking_blocks[0].cache_control', 'messages[1].thinking_blocks[1]']);
  });

  it('rebuilds the one block a streaming client echoes with empty text from its reasoning_content', () => {
    const { body } = build({ tools: [WEATHER_TOOL], messages: history({ thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'sig' }], reasoning_content: 'Streamed thought.' }) });
    expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'Streamed thought.', signature: 'sig' });
  });

  it("accepts OpenRouter's reasoning_details, skipping unsigned text and summaries", () => {
    const details = [
      { type: 'reasoning.summary', summary: 'S' },
      { type: 'reasoning.text', text: 'Signed.', signature: 'sig-x', format: 'anthropic-claude-v1' },
      { type: 'reasoning.text', text: 'Unsigned.' },
      { type: 'reasoning.encrypted', data: 'ENC' },
    ];
    const { body } = build({ tools: [WEATHER_TOOL], messages: history({ reasoning_details: details }) });
    expect(body.messages[1].content.slice(0, 3)).toEqual([
      { type: 'thinking', thinking: 'Signed.', signature: 'sig-x' },
      { type: 'redacted_thinking', data: 'ENC' },
      { type: 'text', text: 'Checking.' },
    ]);
  });
});

describe('buildAnthropicRequest: tools and tool_choice', () => {
  it.each<[unknown, unknown, unknown]>([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, undefined, { type: 'tool', name: 'get_weather' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'function', function: { name: 'get_weather' } }, false, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true }],
    ['none', false, { type: 'none' }],
    [undefined, true, undefined],
  ])('tool_choice %j with parallel_tool_calls %j → %j', (toolChoice, parallel, expected) => {
    const { body } = build({ tools: [WEATHER_TOOL], tool_choice: toolChoice, parallel_tool_calls: parallel });
    expect(body.tool_choice).toEqual(expected);
    expect(body.tools).toHaveLength(1);
  });

  it('gives a tool without parameters an empty object schema, a schema without type an object root, and keeps strict and cache_control', () => {
    const { body } = build({
      tools: [
        { type: 'function', function: { name: 'now' } },
        { type: 'function', function: { name: 'find', parameters: { properties: { q: { type: 'string' } } }, strict: true }, cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    });
    expect(body.tools).toEqual([
      { name: 'now', input_schema: { type: 'object', properties: {} } },
      { name: 'find', input_schema: { type: 'object', properties: { q: { type: 'string' } } }, strict: true, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });

  it('drops strict on models without strict tool schemas', () => {
    const { body, params } = build({ tools: [{ type: 'function', function: { name: 'find', strict: true } }] }, 'claude-3-5-haiku-20241022');
    expect(body.tools[0]).not.toHaveProperty('strict');
    expect(params).toEqual(['tools.find.strict']);
  });

  it('sends no tool_choice without tools', () => {
    const { body } = build({ tool_choice: 'none', parallel_tool_calls: false });
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('tools');
  });

  it('sends forced tool use as auto to a model that refuses it', () => {
    const { body, params } = build({ tools: [WEATHER_TOOL], tool_choice: 'required' }, 'claude-sonnet-5-5');
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(params).toContain('tool_choice');
  });
});

describe('buildAnthropicRequest: parameters', () => {
  it('uses the client max, a per-model default, and clamps to the model and offer maximum with a warning', () => {
    expect(build({ max_completion_tokens: 300 }).body.max_tokens).toBe(300);
    expect(build({}).body.max_tokens).toBe(16_384);
    expect(build({}, 'claude-3-5-haiku-20241022').body.max_tokens).toBe(8192);
    expect(build({}, 'claude-3-haiku-20240307').body.max_tokens).toBe(4096);
    const clamped = build({ max_tokens: 100_000 }, 'claude-opus-4-1-20250805');
    expect(clamped.body.max_tokens).toBe(32_000);
    expect(clamped.params).toEqual(['max_completion_tokens']);
    const offer = buildAnthropicRequest(chatRequest({}), target('claude-sonnet-4-5', { maxOutputTokens: 2000 }));
    expect(JSON.parse(offer.body).max_tokens).toBe(2000);
  });

  it('clamps temperature above 1 with a warning, keeps top_p and top_k', () => {
    const { body, params } = build({ temperature: 1.5, top_k: 40 }, 'claude-sonnet-4-20250514');
    expect(body).toMatchObject({ temperature: 1, top_k: 40 });
    expect(params).toEqual(['temperature']);
    expect(build({ top_p: 0.8 }).body.top_p).toBe(0.8);
  });

  it('drops top_p next to temperature on models that reject both', () => {
    const both = build({ temperature: 0.2, top_p: 0.8 });
    expect(both.body).toMatchObject({ temperature: 0.2 });
    expect(both.body).not.toHaveProperty('top_p');
    expect(both.params).toEqual(['top_p']);
    expect(build({ temperature: 0.2, top_p: 0.8 }, 'claude-3-7-sonnet-20250219').body).toMatchObject({ temperature: 0.2, top_p: 0.8 });
  });

  it('sends only default sampling to models after Opus 4.6', () => {
    const { body, params } = build({ temperature: 0.5, top_p: 0.9, top_k: 10 }, 'claude-opus-4-7');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('top_k');
    expect(params).toEqual(['temperature', 'top_k', 'top_p']);
    expect(build({ temperature: 1, top_p: 0.995 }, 'claude-opus-4-7').body).toMatchObject({ temperature: 1, top_p: 0.995 });
  });

  it('maps stop to stop_sequences, dropping whitespace-only ones with a warning', () => {
    const { body, params } = build({ stop: ['END', ' ', '\n\n'] });
    expect(body.stop_sequences).toEqual(['END']);
    expect(params).toEqual(['stop']);
    expect(build({ stop: ' ' }).body).not.toHaveProperty('stop_sequences');
  });

  it('sends safety_identifier, else user, as metadata.user_id; never an email address', () => {
    expect(build({ user: 'u-1' }).body.metadata).toEqual({ user_id: 'u-1' });
    expect(build({ user: 'u-1', safety_identifier: 's-1' }).body.metadata).toEqual({ user_id: 's-1' });
    const email = build({ user: 'ann@example.com' });
    expect(email.body).not.toHaveProperty('metadata');
    expect(email.params).toEqual(['user']);
  });

  it('rejects n > 1 and accepts n = 1 silently', () => {
    expect(thrown(() => build({ n: 2 }))).toMatchObject({ status: 400, code: 'invalid_parameter_value', param: 'n' });
    const one = build({ n: 1 });
    expect(one.body).not.toHaveProperty('n');
    expect(one.built.warnings).toEqual([]);
  });

  it('drops the parameters Anthropic has no counterpart for, one warning each', () => {
    const dropped = { seed: 1, logit_bias: { '50256': -100 }, logprobs: true, top_logprobs: 2, presence_penalty: 0.5, frequency_penalty: 0.5, min_p: 0.1, top_a: 0.1, repetition_penalty: 1.1, verbosity: 'low', prompt_cache_key: 'k', prompt_cache_retention: '24h', web_search_options: {} };
    const { body, built } = build(dropped);
    for (const name of Object.keys(dropped)) expect(body).not.toHaveProperty(name);
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(Object.keys(dropped).sort());
    for (const warning of built.warnings) expect(warning).toMatchObject({ code: 'unsupported_parameter', message: expect.stringContaining("'anthropic'") });
  });
});

describe('buildAnthropicRequest: JSON output', () => {
  const SCHEMA = { type: 'object', properties: { city: { type: 'string', minLength: 2 }, days: { type: 'integer', minimum: 1 } }, required: ['city'] };

  it('uses output_config.format on models with structured outputs, moving unsupported keywords into descriptions', () => {
    const { body, params } = build({ response_format: { type: 'json_schema', json_schema: { name: 'w', schema: SCHEMA, strict: true } } });
    expect(body.output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: { city: { type: 'string', description: '{minLength: 2}' }, days: { type: 'integer', description: '{minimum: 1}' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    });
    expect(body).not.toHaveProperty('tools');
    expect(params).toEqual(['response_format.json_schema.schema']);
  });

  it('emulates json_schema with a forced tool on older models', () => {
    const { body } = build({ response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA } } }, 'claude-3-5-haiku-20241022');
    expect(body.tools).toEqual([{ name: 'json_response', description: "Answer with JSON matching the 'weather' schema.", input_schema: SCHEMA }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response' });
    expect(body).not.toHaveProperty('output_config');
  });

  it('emulates json_object with a permissive forced tool, and wraps a non-object schema', () => {
    const object = build({ response_format: { type: 'json_object' } });
    expect(object.body.tools).toEqual([{ name: 'json_response', description: 'Answer with a single JSON object.', input_schema: { type: 'object', additionalProperties: true, properties: {} } }]);
    const list = build({ response_format: { type: 'json_schema', json_schema: { name: 'l', schema: { type: 'array', items: { type: 'string' } } } } }, 'claude-3-7-sonnet-20250219');
    expect(list.body.tools[0].input_schema).toEqual({ type: 'object', properties: { value: { type: 'array', items: { type: 'string' } } }, required: ['value'] });
  });

  it('adds the JSON tool next to client tools and forces some tool call, with a name no client tool uses', () => {
    const clientTool = { type: 'function', function: { name: 'json_response' } };
    const { body } = build({ tools: [WEATHER_TOOL, clientTool], response_format: { type: 'json_object' } });
    expect(body.tools.map((tool: Body) => tool.name)).toEqual(['get_weather', 'json_response', 'json_response_2']);
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(build({ tools: [WEATHER_TOOL], tool_choice: 'none', response_format: { type: 'json_object' } }).body.tool_choice).toEqual({ type: 'tool', name: 'json_response' });
  });
});

describe('buildAnthropicRequest: cache_control', () => {
  it('copies cache_control from parts, messages and tools, wrapping string content into a text block', () => {
    const { body, built } = build({
      tools: [{ ...WEATHER_TOOL, cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', content: 'Long instructions', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { role: 'user', content: [{ type: 'text', text: 'Doc', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Q?' }] },
        { role: 'assistant', content: 'A.' },
        { role: 'user', content: 'Next?', cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(body.tools[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body.system).toEqual([{ type: 'text', text: 'Long instructions', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    expect(body.messages[0].content).toEqual([{ type: 'text', text: 'Doc', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Q?' }]);
    expect(body.messages[2].content).toEqual([{ type: 'text', text: 'Next?', cache_control: { type: 'ephemeral' } }]);
    expect(built.warnings).toEqual([]);
  });

  it('puts a tool message cache_control on its tool_result and an assistant one on its last block', () => {
    const { body } = build({
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'ok', thinking_blocks: [{ type: 'thinking', thinking: 't', signature: 's' }], tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_weather', arguments: '{}' } }], cache_control: { type: 'ephemeral' } },
        { role: 'tool', tool_call_id: 'c', content: 'r', cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(body.messages[1].content.map((block: Body) => block.cache_control)).toEqual([undefined, undefined, { type: 'ephemeral' }]);
    expect(body.messages[2].content[0]).toEqual({ type: 'tool_result', tool_use_id: 'c', content: 'r', cache_control: { type: 'ephemeral' } });
  });

  it('keeps the first four breakpoints in prefix order and removes the rest with a warning', () => {
    const marked = (text: string) => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    const { body, params } = build({
      tools: [{ ...WEATHER_TOOL, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'system', content: [marked('s')] }, { role: 'user', content: [marked('a'), marked('b'), marked('c'), marked('d')] }],
    });
    expect(body.tools[0].cache_control).toBeDefined();
    expect(body.system[0].cache_control).toBeDefined();
    expect(body.messages[0].content.map((block: Body) => block.cache_control !== undefined)).toEqual([true, true, false, false]);
    expect(params).toEqual(['cache_control']);
  });
});

describe('buildAnthropicRequest: reasoning_effort', () => {
  it.each<[string, number, number]>([
    ['low', 1024, 16_384],
    ['medium', 2048, 16_384],
    ['high', 4096, 16_384],
    ['xhigh', 16_384, 20_480],
    ['max', 31_999, 36_095],
  ])('budget model, effort %s → budget %i within max_tokens %i', (effort, budget, maxTokens) => {
    const { body, built } = build({ reasoning_effort: effort });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(maxTokens);
    expect(body).not.toHaveProperty('output_config');
    expect(built.warnings).toEqual([]);
  });

  it('keeps the budget below a client max_tokens, and raises a too small max_tokens with a warning', () => {
    expect(build({ reasoning_effort: 'high', max_completion_tokens: 3000 }).body).toMatchObject({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 2999 } });
    const small = build({ reasoning_effort: 'low', max_completion_tokens: 500 });
    expect(small.body).toMatchObject({ max_tokens: 1524, thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(small.params).toEqual(['max_completion_tokens']);
  });

  it.each<[string, string, string, boolean]>([
    ['claude-opus-4-6', 'low', 'low', false],
    ['claude-opus-4-6', 'high', 'high', false],
    ['claude-opus-4-6', 'max', 'max', false],
    ['claude-opus-4-6', 'xhigh', 'max', true],
    ['claude-opus-4-7', 'xhigh', 'xhigh', false],
    ['claude-opus-5', 'medium', 'medium', false],
  ])('adaptive model %s, effort %s → adaptive thinking with effort %s', (model, effort, sent, warned) => {
    const { body, params } = build({ reasoning_effort: effort }, model);
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: sent });
    expect(body.max_tokens).toBe(16_384);
    expect(params).toEqual(warned ? ['reasoning_effort'] : []);
  });

  it('off: disabled on adaptive models that take it, nothing on budget and adaptive-only models', () => {
    expect(build({ reasoning_effort: 'off' }, 'claude-opus-4-6').body.thinking).toEqual({ type: 'disabled' });
    expect(build({ reasoning_effort: 'off' }, 'claude-sonnet-5').body.thinking).toEqual({ type: 'disabled' });
    expect(build({ reasoning_effort: 'off' }).body).not.toHaveProperty('thinking');
    expect(build({ reasoning_effort: 'off' }, 'claude-opus-4-7').body).not.toHaveProperty('thinking');
    expect(build({ reasoning_effort: 'off' }, 'claude-3-5-haiku-20241022').built.warnings).toEqual([]);
  });

  it('guards against reasoning the model or offer cannot do', () => {
    expect(thrown(() => build({ reasoning_effort: 'off' }, 'claude-opus-5-5'))).toMatchObject({ status: 400, code: 'thinking_disable_not_supported', param: 'reasoning_effort' });
    expect(thrown(() => build({ reasoning_effort: 'off' }, target('claude-opus-4-6', { capabilities: { ...PERMISSIVE, reasoning: 'always' } })))).toMatchObject({ code: 'thinking_disable_not_supported' });
    expect(thrown(() => build({ reasoning_effort: 'low' }, 'claude-3-5-haiku-20241022'))).toMatchObject({ status: 400, code: 'reasoning_not_supported' });
    expect(thrown(() => build({ reasoning_effort: 'low' }, target('claude-opus-4-6', { capabilities: { ...PERMISSIVE, reasoning: 'none' } })))).toMatchObject({ code: 'reasoning_not_supported' });
  });

  it('with thinking on, drops temperature and top_k and raises top_p to 0.95, with warnings', () => {
    const { body, params } = build({ reasoning_effort: 'low', temperature: 0.2, top_k: 5, top_p: 0.5 }, 'claude-3-7-sonnet-20250219');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_k');
    expect(body.top_p).toBe(0.95);
    expect(params).toEqual(['temperature', 'top_k', 'top_p']);
    expect(build({ reasoning_effort: 'low', temperature: 1 }, 'claude-3-7-sonnet-20250219').built.warnings).toEqual([]);
  });

  it('a model that thinks by default is sampled under thinking rules without reasoning_effort', () => {
    expect(build({ top_k: 5 }, 'claude-sonnet-5').params).toEqual(['top_k']);
  });

  it('forced tool use wins over reasoning: thinking is turned off with a warning', () => {
    const required = build({ reasoning_effort: 'high', tools: [WEATHER_TOOL], tool_choice: 'required' });
    expect(required.body).not.toHaveProperty('thinking');
    expect(required.body.tool_choice).toEqual({ type: 'any' });
    expect(required.built.warnings).toEqual([expect.objectContaining({ param: 'reasoning_effort', message: expect.stringContaining('tool_choice forces a tool call') })]);
    const json = build({ reasoning_effort: 'high', response_format: { type: 'json_object' } }, 'claude-opus-4-6');
    expect(json.body.thinking).toEqual({ type: 'disabled' });
    expect(json.body).not.toHaveProperty('output_config');
    expect(json.built.warnings[0]?.message).toContain('JSON output is emulated');
    // A model that thinks by default must be told explicitly.
    expect(build({ tools: [WEATHER_TOOL], tool_choice: 'required' }, 'claude-sonnet-5').body.thinking).toEqual({ type: 'disabled' });
  });

  it('a model that always thinks keeps thinking and the forced tool choice is sent as auto', () => {
    const { body, params } = build({ reasoning_effort: 'high', tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false }, 'claude-opus-5-5');
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(params).toEqual(['tool_choice']);
  });

  it('native structured outputs do not conflict with thinking', () => {
    const { body, built } = build({ reasoning_effort: 'medium', response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: {}, additionalProperties: false } } } }, 'claude-opus-4-6');
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'medium', format: { type: 'json_schema', schema: { type: 'object', properties: {}, additionalProperties: false } } });
    expect(built.warnings).toEqual([]);
  });

  it('an assistant prefill turns thinking off with a warning', () => {
    const { body, built } = build({ reasoning_effort: 'low', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'Sure:' }] });
    expect(body).not.toHaveProperty('thinking');
    expect(built.warnings[0]?.message).toContain('final assistant message');
  });
});
