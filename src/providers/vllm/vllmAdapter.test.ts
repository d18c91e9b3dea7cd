import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { ProviderAdapter, UpstreamTarget } from '../adapter.js';
import { createVllmAdapter } from './vllmAdapter.js';

const ADAPTER: ProviderAdapter = createVllmAdapter({ newId: (prefix) => `${prefix}gen`, now: () => 1_767_225_600_000 });

const TARGET: UpstreamTarget = {
  providerId: 'local_vllm',
  baseUrl: 'http://127.0.0.1:8000/v1',
  apiKey: undefined,
  headers: {},
  upstreamModel: 'Qwen/Qwen3-32B',
  capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: false, reasoning: 'optional' },
  maxOutputTokens: undefined,
};

const TOOL = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'Hi' }], ...fields }).request;
}

function build(fields: Record<string, unknown>) {
  const built = ADAPTER.buildRequest(chatRequest(fields), TARGET);
  return { built, body: JSON.parse(built.body) as Record<string, unknown> };
}

function decode(payloads: unknown[]): StreamEvent[] {
  const decoder = ADAPTER.createStreamDecoder(chatRequest({ stream: true }));
  const events = payloads.flatMap((payload) => decoder.decode({ event: undefined, data: typeof payload === 'string' ? payload : JSON.stringify(payload) }));
  return [...events, ...decoder.end()];
}

describe('vLLM: requests', () => {
  it('builds the §6 example request (sampling extras pass through, template kwargs via extensions)', () => {
    const { built, body } = build({
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 512,
      temperature: 0.7,
      top_p: 0.8,
      top_k: 20,
      min_p: 0,
      repetition_penalty: 1.05,
      stream: true,
      extensions: { local_vllm: { chat_template_kwargs: { enable_thinking: false } } },
    });
    expect(body).toEqual({
      model: 'Qwen/Qwen3-32B',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 512,
      temperature: 0.7,
      top_p: 0.8,
      top_k: 20,
      min_p: 0,
      repetition_penalty: 1.05,
      chat_template_kwargs: { enable_thinking: false },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(built.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
    // A server started without --api-key gets no credentials.
    expect(built.headers).not.toHaveProperty('authorization');
    expect(built.warnings).toEqual([]);
  });

  it('sends max_tokens as max_completion_tokens', () => {
    const { body } = build({ max_tokens: 100 });
    expect(body.max_completion_tokens).toBe(100);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('drops top_a (not a vLLM sampler, it would be ignored silently) and OpenAI-only fields with warnings', () => {
    const { body, built } = build({ top_a: 0.1, prompt_cache_key: 'k', verbosity: 'low', seed: 3 });
    expect(body).not.toHaveProperty('top_a');
    expect(body.seed).toBe(3);
    expect(built.warnings.map((warning) => warning.param).sort()).toEqual(['prompt_cache_key', 'top_a', 'verbosity']);
  });

  it.each<[string, string]>([
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['xhigh', 'xhigh'],
    ['max', 'max'],
    ['off', 'none'],
  ])('passes reasoning_effort %s as %s (vLLM hands it to the chat template)', (effort, sent) => {
    const { body, built } = build({ reasoning_effort: effort });
    expect(body.reasoning_effort).toBe(sent);
    expect(built.warnings).toEqual([]);
  });

  it('sends tool_choice "auto" with tools when the client sent none, and keeps an explicit choice', () => {
    expect(build({ tools: [TOOL] }).body.tool_choice).toBe('auto');
    expect(build({ tools: [TOOL], tool_choice: 'required' }).body.tool_choice).toBe('required');
    expect(build({}).body).not.toHaveProperty('tool_choice');
  });

  it('passes response_format json_schema unchanged (vLLM turns it into structured outputs)', () => {
    const format = { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' }, strict: true } };
    expect(build({ response_format: format }).body.response_format).toEqual(format);
  });

  it('keeps reasoning_content on assistant turns (vLLM reads it as the turn\'s reasoning)', () => {
    const messages = [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', reasoning_content: 'c' }, { role: 'user', content: 'd' }];
    expect(build({ messages }).body.messages).toEqual(messages);
  });
});

describe('vLLM: responses', () => {
  // providers.md §6, with the extras a recent vLLM adds
  const RESPONSE = {
    id: 'chatcmpl-5b0',
    object: 'chat.completion',
    created: 1767225600,
    model: 'Qwen/Qwen3-32B',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', reasoning: 'Greet back.', tool_calls: [] }, logprobs: null, finish_reason: 'stop', stop_reason: null, token_ids: [1, 2] }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 8 } },
    prompt_logprobs: null,
    prompt_token_ids: [5, 6, 7],
    kv_transfer_params: { remote_engine_id: 'x' },
  };

  it('reads content, reasoning (as reasoning_content) and usage, and lets none of the extras through', () => {
    const result = ADAPTER.parseResponse(RESPONSE, chatRequest({}));
    expect(result).toEqual({
      id: 'chatcmpl-5b0',
      created: 1767225600,
      model: 'Qwen/Qwen3-32B',
      choices: [{ index: 0, finishReason: 'stop', message: { content: 'Hello!', reasoningContent: 'Greet back.' } }],
      usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12, cachedTokens: 8, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('streams reasoning deltas before content and ignores per-chunk extras', () => {
    const head = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1767225600, model: 'Qwen/Qwen3-32B' };
    const events = decode([
      { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { reasoning: 'Greet' }, logprobs: null, finish_reason: null, token_ids: [3] }] },
      { ...head, choices: [{ index: 0, delta: { reasoning: ' back.' }, logprobs: null, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: 'Hello!' }, logprobs: null, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop', stop_reason: null }] },
      { ...head, choices: [], usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 } },
      '[DONE]',
    ]);
    expect(events.map((event) => event.type)).toEqual(['response-start', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'finish', 'usage']);
    expect(events.filter((event) => event.type === 'reasoning-delta').map((event) => (event as { text: string }).text).join('')).toBe('Greet back.');
  });
});

describe('vLLM without --reasoning-parser: raw <think> content', () => {
  const head = { id: 'chatcmpl-10', object: 'chat.completion.chunk', created: 1767225600, model: 'Qwen/Qwen3-32B' };
  const delta = (content: string, finishReason: string | null = null) => ({ ...head, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: finishReason }] });

  it('splits the block into reasoning_content, non-streamed and streamed alike', () => {
    const raw = '<think>\nGreet back.\n</think>\n\nHello!';
    const body = { id: 'chatcmpl-10', object: 'chat.completion', created: 1767225600, model: 'Qwen/Qwen3-32B', choices: [{ index: 0, message: { role: 'assistant', content: raw, reasoning: null }, finish_reason: 'stop' }] };
    expect(ADAPTER.parseResponse(body, chatRequest({})).choices[0]?.message).toEqual({ content: 'Hello!', reasoningContent: '\nGreet back.\n' });

    const events = decode([delta('<think>'), delta('\nGreet'), delta(' back.\n'), delta('</think>'), delta('\n\n'), delta('Hello!'), delta('', 'stop'), '[DONE]']);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: '\nGreet' },
      { type: 'reasoning-delta', choice: 0, text: ' back.\n' },
      { type: 'text-delta', choice: 0, text: 'Hello!' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
  });
});

describe('vLLM: errors', () => {
  it.each<[string, number, string, Record<string, unknown>]>([
    ['nested, integer code', 400, JSON.stringify({ error: { message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", type: 'BadRequestError', param: null, code: 400 } }), { status: 400, code: 'context_length_exceeded' }],
    ['flat (older versions)', 400, JSON.stringify({ object: 'error', message: 'Invalid request', type: 'BadRequestError', param: null, code: 400 }), { status: 400, code: 'invalid_request', message: expect.stringContaining('Invalid request') }],
    ['flat 404 unknown model', 404, JSON.stringify({ object: 'error', message: 'The model `llama` does not exist.', type: 'NotFoundError', param: null, code: 404 }), { status: 502, fallback: true }],
    ['503 while loading', 503, JSON.stringify({ error: { message: 'Service Unavailable', type: 'ServiceUnavailableError', param: null, code: 503 } }), { status: 503, retryable: true }],
  ])('%s', (_name, status, body, expected) => {
    expect(ADAPTER.parseError(status, body, {})).toMatchObject(expected);
  });

  it('turns a mid-stream error line into an error event, nested or flat', () => {
    const nested = decode([{ error: { message: 'boom', type: 'InternalServerError', param: null, code: 500 } }]);
    expect(nested).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, retryable: true }) }]);
    const flat = decode([{ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 }]);
    expect(flat).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'context_length_exceeded' }) }]);
  });
});
