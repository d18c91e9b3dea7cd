import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import { GatewayError } from '../../core/gatewayError.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import { renderChatCompletion } from '../../protocol/openai/renderChatCompletion.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { parseAnthropicResponse } from './parseAnthropicResponse.js';

const NOW = 1_767_225_600_000;

/** The `Message` of §3.4: thinking, text and a tool call, with cache reads and thinking tokens. */
const MESSAGE_WITH_TOOL_CALL = {
  id: 'msg_01X',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'User wants weather…', signature: 'EqQBCkgIARAB…' },
    { type: 'text', text: 'Let me check.', citations: null },
    { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  stop_details: null,
  container: null,
  usage: {
    input_tokens: 18,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 2048,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: 96,
    output_tokens_details: { thinking_tokens: 61 },
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
  },
};

function fakeEffects(): AdapterEffects {
  let counter = 0;
  return { newId: (prefix) => `${prefix}gen${++counter}`, now: () => NOW };
}

function chatRequest(fields: Record<string, unknown> = {}): ChatRequest {
  return validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...fields }).request;
}

function parse(body: unknown, request: ChatRequest = chatRequest()) {
  return parseAnthropicResponse(body, request, fakeEffects());
}

function message(fields: Record<string, unknown>) {
  return { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 }, ...fields };
}

describe('parseAnthropicResponse: the §3.4 / §3.9 worked example', () => {
  it('reads content, reasoning, thinking blocks, tool calls, finish reason and usage', () => {
    const result = parse(MESSAGE_WITH_TOOL_CALL);
    expect(result).toEqual({
      id: 'msg_01X',
      created: 1767225600,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          finishReason: 'tool_calls',
          message: {
            content: 'Let me check.',
            reasoningContent: 'User wants weather…',
            toolCalls: [{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
            extra: { thinking_blocks: [{ type: 'thinking', thinking: 'User wants weather…', signature: 'EqQBCkgIARAB…' }] },
          },
        },
      ],
      usage: { promptTokens: 2066, completionTokens: 96, totalTokens: 2162, cachedTokens: 2048, cacheWriteTokens: 0, reasoningTokens: 61 },
    });
  });

  it('renders as the OpenAI response of §3.9', () => {
    const body = renderChatCompletion(parse(MESSAGE_WITH_TOOL_CALL), { provider: 'anthropic', provider_model_id: 'claude-sonnet-4-5', model_canonical: 'claude-sonnet-4-5', routing_strategy: 'cost-focus' }, false);
    expect(body.choices).toEqual([
      {
        index: 0,
        logprobs: null,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant',
          content: 'Let me check.',
          reasoning_content: 'User wants weather…',
          thinking_blocks: [{ type: 'thinking', thinking: 'User wants weather…', signature: 'EqQBCkgIARAB…' }],
          tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
      },
    ]);
    expect(body.usage).toEqual({
      prompt_tokens: 2066,
      completion_tokens: 96,
      total_tokens: 2162,
      prompt_tokens_details: { cached_tokens: 2048 },
      completion_tokens_details: { reasoning_tokens: 61 },
    });
  });
});

describe('parseAnthropicResponse: content', () => {
  it('joins several text blocks, keeps redacted thinking in order, and skips server-tool blocks', () => {
    const result = parse(
      message({
        content: [
          { type: 'redacted_thinking', data: 'EmwKAhgB' },
          { type: 'thinking', thinking: 'A', signature: 's1' },
          { type: 'text', text: 'Hello ' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
          { type: 'text', text: 'world' },
          { type: 'thinking', thinking: 'B', signature: 's2' },
        ],
      }),
    );
    expect(result.choices[0]?.message).toEqual({
      content: 'Hello world',
      reasoningContent: 'AB',
      extra: {
        thinking_blocks: [
          { type: 'redacted_thinking', data: 'EmwKAhgB' },
          { type: 'thinking', thinking: 'A', signature: 's1' },
          { type: 'thinking', thinking: 'B', signature: 's2' },
        ],
      },
    });
  });

  it('answers content null with tool calls only, and an empty string with nothing at all', () => {
    const tools = parse(message({ stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }, { type: 'tool_use', id: 'toolu_2', name: 'b', input: { x: [1] } }] }));
    expect(tools.choices[0]?.message).toEqual({
      content: null,
      toolCalls: [
        { id: 'toolu_1', type: 'function', function: { name: 'a', arguments: '{}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'b', arguments: '{"x":[1]}' } },
      ],
    });
    expect(parse(message({ stop_reason: 'max_tokens', content: [] })).choices[0]).toEqual({ index: 0, finishReason: 'length', message: { content: '' } });
  });

  it.each<[unknown, string]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['pause_turn', 'stop'],
    ['refusal', 'content_filter'],
    [null, 'stop'],
    ['something_new', 'stop'],
  ])('stop_reason %j → finish_reason %s', (reason, finish) => {
    expect(parse(message({ stop_reason: reason, content: [{ type: 'text', text: 'x' }] })).choices[0]?.finishReason).toBe(finish);
  });

  it('counts cache writes into the prompt and keeps them apart', () => {
    const usage = parse(message({ content: [], usage: { input_tokens: 10, cache_creation_input_tokens: 1500, cache_read_input_tokens: 200, output_tokens: 7 } })).usage;
    expect(usage).toEqual({ promptTokens: 1710, completionTokens: 7, totalTokens: 1717, cachedTokens: 200, cacheWriteTokens: 1500, reasoningTokens: 0 });
    expect(parse(message({ content: [], usage: undefined })).usage).toBeUndefined();
  });

  it('synthesises an id when the upstream leaves it out', () => {
    expect(parse({ ...message({ content: [] }), id: undefined }).id).toBe('msg_gen1');
  });
});

describe('parseAnthropicResponse: JSON-mode emulation', () => {
  it('turns the emulation tool call into JSON content with finish_reason stop', () => {
    const request = chatRequest({ response_format: { type: 'json_object' } });
    const result = parse(message({ stop_reason: 'tool_use', content: [{ type: 'text', text: 'Here:' }, { type: 'tool_use', id: 'toolu_9', name: 'json_response', input: { ok: true } }] }), request);
    expect(result.choices[0]).toEqual({ index: 0, finishReason: 'stop', message: { content: '{"ok":true}' } });
  });

  it('unwraps a wrapped non-object schema, and keeps real tool calls next to it', () => {
    const request = chatRequest({ tools: [{ type: 'function', function: { name: 'lookup' } }], response_format: { type: 'json_schema', json_schema: { name: 'l', schema: { type: 'array' } } } });
    const result = parse(
      message({
        stop_reason: 'tool_use',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
          { type: 'tool_use', id: 'toolu_2', name: 'json_response', input: { value: ['a', 'b'] } },
        ],
      }),
      request,
    );
    expect(result.choices[0]).toEqual({
      index: 0,
      finishReason: 'tool_calls',
      message: { content: '["a","b"]', toolCalls: [{ id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
    });
  });

  it('leaves a json_response tool call alone when the request asked for no JSON', () => {
    const result = parse(message({ stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_2', name: 'json_response', input: {} }] }));
    expect(result.choices[0]?.message.toolCalls).toHaveLength(1);
  });
});

describe('parseAnthropicResponse: malformed bodies', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Bad Gateway'],
    ['an array', [MESSAGE_WITH_TOOL_CALL]],
    ['no content', { id: 'msg_1', type: 'message' }],
    ['an error body with status 200', { type: 'error', error: { type: 'api_error', message: 'boom' } }],
  ])('%s → 502 upstream_error', (_name, body) => {
    let thrown: unknown;
    try {
      parse(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 502, code: 'upstream_error' });
  });
});
