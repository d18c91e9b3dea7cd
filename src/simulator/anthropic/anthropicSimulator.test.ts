import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulatorServer.js';
import { thinkingSignature } from './thinkingSignature.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into response JSON whose shape is what is being tested
type Json = Record<string, any>;

const KEY = 'sk-ant-sim-0123456789';
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'claude', apiKey: KEY }, { id: 'open' }] });
});
afterAll(async () => {
  await simulator.close();
});
afterEach(() => {
  simulator.clearScripts();
});

const HEADERS = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const HELLO = [{ role: 'user', content: 'Hello there, simulator!' }];
const WEATHER = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

async function post(body: unknown, headers: Record<string, string | undefined> = {}, path = '/p/claude/v1/messages') {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...HEADERS, ...headers })) if (value !== undefined) merged[name] = value;
  const response = await request(`${simulator.url}${path}`, { method: 'POST', headers: merged, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: text.startsWith('{') ? (JSON.parse(text) as Json) : undefined };
}

function message(fields: Record<string, unknown> = {}) {
  return { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: HELLO, ...fields };
}

/** Splits a named-event SSE body into `{event, data}` pairs, asserting Anthropic's `event:` + `data:` framing. */
function events(text: string): { event: string; data: Json }[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const match = /^event: ([a-z_]+)\ndata: (.+)$/.exec(block);
      if (match === null) throw new Error(`badly framed event: ${JSON.stringify(block)}`);
      const data = JSON.parse(match[2] as string) as Json;
      expect(data.type).toBe(match[1]);
      return { event: match[1] as string, data };
    });
}

describe('Anthropic Messages: non-streamed', () => {
  it('answers a Message with Anthropic key order, ids, usage and headers', async () => {
    const { status, headers, json } = await post(message());
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(headers).not.toHaveProperty('openai-version');
    expect(Object.keys(json!)).toEqual(['id', 'type', 'role', 'model', 'content', 'stop_reason', 'stop_sequence', 'usage']);
    expect(json!.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(json).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'end_turn', stop_sequence: null });
    expect(json!.content).toEqual([{ type: 'text', text: 'This is a simulated reply from the Switchyard provider simulator, generated one' }]);
    // ceil(23 / 4) + 3 = 9 prompt tokens, as for the OpenAI protocol.
    expect(json!.usage).toEqual({
      input_tokens: 9,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: 12,
      service_tier: 'standard',
    });
    expect(simulator.requests.find((recorded) => recorded.id === headers['request-id'])).toMatchObject({ profile: 'claude', method: 'POST', path: '/p/claude/v1/messages', completed: true, status: 200 });
  });

  it('splits the prompt into input, cache writes and cache reads', async () => {
    const { json } = await post(message({ system: 'x'.repeat(400) }), { 'x-sim-behaviour': JSON.stringify({ cachedTokens: 60, cacheWriteTokens: 30 }) });
    // (400 + 23) / 4 → 106, + 3 per message (system counted as one) = 112.
    expect(json!.usage).toMatchObject({ input_tokens: 22, cache_creation_input_tokens: 30, cache_read_input_tokens: 60, cache_creation: { ephemeral_5m_input_tokens: 30 } });
  });

  it('stops at a stop sequence (stop_sequence) and at max_tokens (max_tokens)', async () => {
    const stopped = await post(message({ stop_sequences: [' reply', 'zzz'] }));
    expect(stopped.json).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: ' reply', content: [{ type: 'text', text: 'This is a simulated' }] });
    const capped = await post(message({ max_tokens: 3 }));
    expect(capped.json).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: 'This is a' }], usage: { output_tokens: 3 } });
  });

  it('calls tools with toolu_ ids and object input, once with disable_parallel_tool_use, and answers tool results in text', async () => {
    const twice = await post(message({ tools: [WEATHER, { name: 'now', input_schema: { type: 'object', properties: {} } }] }), { 'x-sim-behaviour': '{"toolCalls":2}' });
    expect(twice.json!.stop_reason).toBe('tool_use');
    expect(twice.json!.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_01[A-Za-z0-9]{22}$/), name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_01/), name: 'now', input: {} },
    ]);
    const single = await post(message({ tools: [WEATHER], tool_choice: { type: 'auto', disable_parallel_tool_use: true } }), { 'x-sim-behaviour': '{"toolCalls":2}' });
    expect(single.json!.content).toHaveLength(1);
    const named = await post(message({ tools: [WEATHER, { name: 'now', input_schema: { type: 'object' } }], tool_choice: { type: 'tool', name: 'now' } }));
    expect(named.json!.content.map((block: Json) => block.name)).toEqual(['now']);
    const id = twice.json!.content[0].id as string;
    const answered = await post(
      message({
        tools: [WEATHER],
        messages: [...HELLO, { role: 'assistant', content: [{ type: 'tool_use', id, name: 'get_weather', input: { city: 'Paris' } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: '18°C' }] }],
      }),
    );
    expect(answered.json).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text' }] });
  });

  it('answers JSON for output_config.format', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'], additionalProperties: false };
    const { json } = await post(message({ output_config: { format: { type: 'json_schema', schema } } }));
    expect(JSON.parse(json!.content[0].text as string)).toEqual({ city: 'Paris', days: 1 });
  });
});

describe('Anthropic Messages: thinking', () => {
  it('thinks when asked, with a signed block first and thinking tokens in the usage', async () => {
    const { json } = await post(message({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 1024 } }), { 'x-sim-behaviour': '{"reasoningTokens":5,"completionTokens":3}' });
    expect(json!.content).toEqual([
      { type: 'thinking', thinking: 'Let me think this through', signature: thinkingSignature('Let me think this through') },
      { type: 'text', text: 'This is a' },
    ]);
    expect(json!.usage).toMatchObject({ output_tokens: 8, output_tokens_details: { thinking_tokens: 5 } });
  });

  it('thinks a little by default, never beyond the budget, not when disabled, and hides the text when omitted', async () => {
    const adaptive = await post(message({ thinking: { type: 'adaptive' } }));
    expect(adaptive.json!.content[0]).toMatchObject({ type: 'thinking' });
    expect(adaptive.json!.usage.output_tokens_details).toEqual({ thinking_tokens: 16 });
    const disabled = await post(message({ thinking: { type: 'disabled' } }), { 'x-sim-behaviour': '{"reasoningTokens":5}' });
    expect(disabled.json!.content.map((block: Json) => block.type)).toEqual(['text']);
    expect(disabled.json!.usage.output_tokens).toBe(12);
    const omitted = await post(message({ thinking: { type: 'adaptive', display: 'omitted' } }));
    expect(omitted.json!.content[0]).toEqual({ type: 'thinking', thinking: '', signature: thinkingSignature('') });
    const budget = await post(message({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 } }), { 'x-sim-behaviour': '{"reasoningTokens":5000}' });
    expect(budget.json!.usage.output_tokens_details).toEqual({ thinking_tokens: 1024 });
  });

  it('accepts its own thinking blocks back unchanged and refuses altered ones', async () => {
    const first = await post(message({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048, tools: [WEATHER] }));
    const [thinking, toolUse] = first.json!.content as Json[];
    expect(thinking!.type).toBe('thinking');
    const turn = (block: Json) => [...HELLO, { role: 'assistant', content: [block, toolUse] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse!.id, content: 'sunny' }] }];
    const second = await post(message({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048, tools: [WEATHER], messages: turn(thinking!) }));
    expect(second.status).toBe(200);
    const altered = await post(message({ tools: [WEATHER], messages: turn({ ...thinking, thinking: `${thinking!.thinking} ` }) }));
    expect(altered.status).toBe(400);
    expect(altered.json!.error).toEqual({ type: 'invalid_request_error', message: 'messages.1.content.0: Invalid `signature` in `thinking` block' });
  });
});

describe('Anthropic Messages: streaming', () => {
  it('sends the exact named-event sequence with thinking, text deltas and cumulative usage', async () => {
    const { status, headers, text } = await post(message({ stream: true, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } }), { 'x-sim-behaviour': '{"reasoningTokens":2,"completionTokens":3}' });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(headers['request-id']).toMatch(/^req_/);
    const list = events(text);
    expect(list.map((item) => item.event)).toEqual([
      'message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(list[0]!.data.message).toMatchObject({ id: expect.stringMatching(/^msg_01/), content: [], stop_reason: null, usage: { input_tokens: 9, output_tokens: 1 } });
    expect(list[1]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
    expect(list.slice(3, 5).map((item) => item.data.delta)).toEqual([{ type: 'thinking_delta', thinking: 'Let' }, { type: 'thinking_delta', thinking: ' me' }]);
    expect(list[5]!.data.delta).toEqual({ type: 'signature_delta', signature: thinkingSignature('Let me') });
    expect(list[7]!.data).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
    expect(list.slice(8, 11).map((item) => item.data.delta.text).join('')).toBe('This is a');
    expect(list[12]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5, output_tokens_details: { thinking_tokens: 2 } },
    });
  });

  it('streams tool input as input_json_delta fragments after an empty one', async () => {
    const { text } = await post(message({ stream: true, tools: [WEATHER] }));
    const list = events(text);
    const start = list.find((item) => item.event === 'content_block_start')!;
    expect(start.data.content_block).toEqual({ type: 'tool_use', id: expect.stringMatching(/^toolu_01/), name: 'get_weather', input: {} });
    const fragments = list.filter((item) => item.data.delta?.type === 'input_json_delta').map((item) => item.data.delta.partial_json as string);
    expect(fragments[0]).toBe('');
    expect(JSON.parse(fragments.join(''))).toEqual({ city: 'Paris' });
    expect(list.at(-2)!.data.delta.stop_reason).toBe('tool_use');
  });

  it('groups text deltas by chunks and ends an errored stream with an error event and no message_stop', async () => {
    const chunked = events((await post(message({ stream: true }), { 'x-sim-behaviour': '{"chunks":2}' })).text);
    expect(chunked.filter((item) => item.data.delta?.type === 'text_delta')).toHaveLength(2);
    const failed = await post(message({ stream: true }), { 'x-sim-behaviour': '{"streamErrorAt":2}' });
    const list = events(failed.text);
    expect(list.filter((item) => item.event === 'content_block_delta')).toHaveLength(2);
    expect(list.at(-1)!.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: failed.headers['request-id'] });
    expect(list.map((item) => item.event)).not.toContain('message_stop');
  });
});

describe('Anthropic Messages: scripted errors', () => {
  it('answers a scripted 529 as overloaded_error with retry-after', async () => {
    simulator.script({ match: { profile: 'claude' }, behaviour: { status: 529, retryAfter: 3 }, times: 1 });
    const { status, headers, json } = await post(message());
    expect(status).toBe(529);
    expect(headers['retry-after']).toBe('3');
    expect(headers['request-id']).toBe(json!.request_id);
    expect(json).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: expect.stringMatching(/^req_/) });
  });

  it('answers a scripted 429 with the spend-limit code in error.details', async () => {
    const { status, json } = await post(message(), { 'x-sim-behaviour': JSON.stringify({ status: 429, errorCode: 'enforced_spend_limit_reached', errorMessage: 'Spend limit reached.' }) });
    expect(status).toBe(429);
    expect(json!.error).toEqual({ type: 'rate_limit_error', message: 'Spend limit reached.', details: { error_code: 'enforced_spend_limit_reached' } });
  });
});

describe('Anthropic Messages: authentication and headers', () => {
  it('requires the profile key in x-api-key and answers 401 authentication_error', async () => {
    const missing = await post(message(), { 'x-api-key': undefined, authorization: `Bearer ${KEY}` });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' }, request_id: missing.headers['request-id'] });
    const wrong = await post(message(), { 'x-api-key': 'sk-ant-wrong' });
    expect(wrong.json!.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
    expect((await post(message(), { 'x-api-key': undefined }, '/p/open/v1/messages')).status).toBe(200);
  });

  it('requires anthropic-version', async () => {
    const { status, json } = await post(message(), { 'anthropic-version': undefined });
    expect(status).toBe(400);
    expect(json!.error).toEqual({ type: 'invalid_request_error', message: 'anthropic-version: header is required' });
  });

  it('answers unknown profiles and wrong methods in its own error shape', async () => {
    const unknown = await post(message(), {}, '/p/nope/v1/messages');
    expect(unknown.status).toBe(404);
    expect(unknown.json!.error.type).toBe('not_found_error');
    const wrongMethod = await request(`${simulator.url}/p/claude/v1/messages`);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect((JSON.parse(await wrongMethod.body.text()) as Json).type).toBe('error');
  });
});

describe('Anthropic Messages: validation like Anthropic', () => {
  const toolUse = { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } };
  const toolResult = { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'sunny' };
  const marked = (text: string) => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });

  it.each<[string, unknown, string]>([
    ['max_tokens missing', { model: 'm', messages: HELLO }, 'max_tokens: Field required'],
    ['an OpenAI field', message({ n: 1 }), 'n: Extra inputs are not permitted'],
    ['an empty messages list', message({ messages: [] }), 'messages: at least one message is required'],
    ['a system role message', message({ messages: [{ role: 'system', content: 'x' }] }), "messages.0.role: Input should be 'user' or 'assistant'"],
    ['two user turns in a row', message({ messages: [...HELLO, ...HELLO] }), 'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row'],
    ['an assistant first turn', message({ messages: [{ role: 'assistant', content: 'Hi' }, ...HELLO] }), 'messages: first message must use the "user" role'],
    ['an empty text block', message({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }), 'messages: text content blocks must be non-empty'],
    ['temperature above 1', message({ temperature: 1.5 }), 'temperature: Input should be less than or equal to 1'],
    ['a whitespace stop sequence', message({ stop_sequences: [' '] }), 'stop_sequences: each stop sequence must contain non-whitespace'],
    ['a budget below 1024', message({ thinking: { type: 'enabled', budget_tokens: 512 } }), 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024'],
    ['a budget not below max_tokens', message({ thinking: { type: 'enabled', budget_tokens: 1024 } }), '`max_tokens` must be greater than `thinking.budget_tokens`.'],
    ['temperature with thinking', message({ max_tokens: 4000, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } }), '`temperature` may only be set to 1 when thinking is enabled.'],
    ['top_k with thinking', message({ top_k: 5, thinking: { type: 'adaptive' } }), '`top_k` must be unset when thinking is enabled.'],
    ['forced tool use with thinking', message({ tools: [WEATHER], tool_choice: { type: 'any' }, thinking: { type: 'adaptive' } }), 'Thinking may not be enabled when tool_choice forces tool use.'],
    ['a tool_use without its tool_result', message({ tools: [WEATHER], messages: [...HELLO, { role: 'assistant', content: [toolUse] }, { role: 'user', content: 'and?' }] }), 'messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01A.'],
    ['a tool_result without its tool_use', message({ tools: [WEATHER], messages: [...HELLO, { role: 'assistant', content: 'ok' }, { role: 'user', content: [toolResult] }] }), 'messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01A.'],
    ['text before the tool results', message({ tools: [WEATHER], messages: [...HELLO, { role: 'assistant', content: [toolUse] }, { role: 'user', content: [{ type: 'text', text: 'x' }, toolResult] }] }), 'messages.2.content.1: `tool_result` blocks must come first'],
    ['tool history without tools', message({ messages: [...HELLO, { role: 'assistant', content: [toolUse] }, { role: 'user', content: [toolResult] }] }), 'Requests which include `tool_use` or `tool_result` blocks must define tools.'],
    ['a tool id Anthropic would not mint', message({ tools: [WEATHER], messages: [...HELLO, { role: 'assistant', content: [{ ...toolUse, id: 'call:1' }] }, { role: 'user', content: [{ ...toolResult, tool_use_id: 'call:1' }] }] }), "messages.1.content.0.id: String should match pattern '^[a-zA-Z0-9_-]+$'"],
    ['a tool schema that is not an object', message({ tools: [{ name: 'f', input_schema: { type: 'string' } }] }), "tools.0.custom.input_schema.type: Input should be 'object'"],
    ['a tool_choice naming no tool', message({ tools: [WEATHER], tool_choice: { type: 'tool', name: 'nope' } }), "Tool 'nope' not found in provided tools"],
    ['a fifth cache_control', message({ system: [marked('a'), marked('b')], messages: [{ role: 'user', content: [marked('c'), marked('d'), marked('e')] }] }), 'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
    ['cache_control on a thinking block', message({ messages: [...HELLO, { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: thinkingSignature('x'), cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'y' }] }, ...HELLO] }), 'messages.1.content.0.cache_control: Extra inputs are not permitted'],
    ['a prefill ending in whitespace', message({ messages: [...HELLO, { role: 'assistant', content: 'Sure ' }] }), 'messages: final assistant content cannot end with trailing whitespace'],
    ['an unsupported image type', message({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'Qk0' } }] }] }), "messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
    ['an unknown effort', message({ output_config: { effort: 'extreme' } }), "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"],
  ])('refuses %s with a 400 invalid_request_error', async (_name, body, text) => {
    const { status, headers, json } = await post(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' }, request_id: headers['request-id'] });
    expect(json!.error.message).toContain(text);
  });

  it('accepts what the gateway sends: hoisted system blocks, documents, merged tool results, a prefill', async () => {
    const { status, json } = await post(
      message({
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        tools: [{ ...WEATHER, cache_control: { type: 'ephemeral' } }],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        metadata: { user_id: 'u_1' },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }, { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, toolUse, { ...toolUse, id: 'toolu_01B' }] },
          { role: 'user', content: [toolResult, { type: 'tool_result', tool_use_id: 'toolu_01B', content: [{ type: 'text', text: 'rainy' }] }, { type: 'text', text: 'Thanks' }] },
          { role: 'assistant', content: 'So' },
        ],
      }),
    );
    expect(status).toBe(200);
    expect(json!.type).toBe('message');
  });
});
