import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { chat, sseData, USER_MESSAGE, type HttpResult } from './support/http.js';
import type { Completion, RoutingMetadata } from './support/stacks.js';

type Body = Record<string, unknown>;

describe('what the gateway sends upstream', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'compat' }],
      models: {
        oa: [{ profile: 'alpha', price: { input: 1, output: 1 }, upstreamModel: 'vendor/upstream-oa-1' }],
        compat: [{ profile: 'compat', price: { input: 1, output: 1 }, upstreamModel: 'org/compat-model', type: 'openai-compatible' }],
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.simulator.clearRequests();
  });

  /** Sends a request and returns the body the simulator received plus the response's routing metadata. */
  async function roundTrip(body: Body): Promise<{ upstream: Body; metadata: RoutingMetadata; result: HttpResult }> {
    const result = await chat(stack, body);
    expect(result.status, result.text).toBe(200);
    expect(stack.simulator.requests).toHaveLength(1);
    const upstream = stack.simulator.requests[0]?.body as Body;
    let metadata: RoutingMetadata;
    if (body.stream === true) {
      const data = sseData(result.text);
      metadata = (JSON.parse(data.at(-2) as string) as { routing_metadata: RoutingMetadata }).routing_metadata;
    } else {
      metadata = (result.json as Completion).routing_metadata;
    }
    return { upstream, metadata, result };
  }
  const warningsOf = (metadata: RoutingMetadata, code: string) =>
    (metadata.warnings ?? []).filter((warning) => warning.code === code).map((warning) => warning.param);

  it("sends the offer's upstream_model as model, and reports it back", async () => {
    const { upstream, metadata, result } = await roundTrip({ model: 'oa', messages: USER_MESSAGE });
    expect(upstream.model).toBe('vendor/upstream-oa-1');
    expect(metadata).toMatchObject({ provider: 'alpha', provider_model_id: 'vendor/upstream-oa-1', model_canonical: 'oa' });
    expect((result.json as Completion).model).toBe('vendor/upstream-oa-1');
    expect(upstream.messages).toEqual(USER_MESSAGE);
  });

  it('drops unknown top-level fields with unsupported_field warnings, and never forwards gateway options', async () => {
    const { upstream, metadata } = await roundTrip({
      model: 'oa',
      messages: USER_MESSAGE,
      metadata: { a: 'b' },
      store: true,
      service_tier: 'flex',
      some_future_field: { x: 1 },
      gateway: { routing: { max_fallback_attempts: 1 }, metadata: { trace: 't-1' } },
    });
    for (const field of ['metadata', 'store', 'service_tier', 'some_future_field', 'gateway', 'extensions']) expect(upstream, field).not.toHaveProperty(field);
    expect(JSON.stringify(upstream)).not.toContain('t-1');
    expect(warningsOf(metadata, 'unsupported_field').sort()).toEqual(['metadata', 'service_tier', 'some_future_field', 'store']);
  });

  it('always asks for usage on streams (stream_options.include_usage: true), whatever the client sent', async () => {
    for (const streamOptions of [undefined, { include_usage: false }, {}]) {
      stack.simulator.clearRequests();
      const { upstream, result } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, stream: true, ...(streamOptions === undefined ? {} : { stream_options: streamOptions }) });
      expect(upstream.stream).toBe(true);
      expect(upstream.stream_options).toEqual({ include_usage: true });
      const usageChunk = JSON.parse(sseData(result.text).at(-2) as string) as { usage?: { total_tokens: number } };
      expect(usageChunk.usage?.total_tokens).toBeGreaterThan(0);
    }
  });

  it('does not send stream fields on non-streaming requests', async () => {
    const { upstream } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, stream: false, stream_options: { include_usage: true } });
    expect(upstream).not.toHaveProperty('stream_options');
    expect(upstream.stream === undefined || upstream.stream === false).toBe(true);
  });

  it('renames max_tokens to max_completion_tokens for type openai', async () => {
    const { upstream } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, max_tokens: 50 });
    expect(upstream.max_completion_tokens).toBe(50);
    expect(upstream).not.toHaveProperty('max_tokens');
  });

  it('keeps max_tokens (and maps max_completion_tokens to it) for type openai-compatible', async () => {
    const legacy = await roundTrip({ model: 'compat', messages: USER_MESSAGE, max_tokens: 50 });
    expect(legacy.upstream.max_tokens).toBe(50);
    expect(legacy.upstream).not.toHaveProperty('max_completion_tokens');
    stack.simulator.clearRequests();
    const modern = await roundTrip({ model: 'compat', messages: USER_MESSAGE, max_completion_tokens: 40 });
    expect(modern.upstream.max_tokens).toBe(40);
    expect(modern.upstream).not.toHaveProperty('max_completion_tokens');
  });

  it('max_completion_tokens wins over max_tokens', async () => {
    const { upstream } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, max_tokens: 50, max_completion_tokens: 30 });
    expect(upstream.max_completion_tokens).toBe(30);
    expect(upstream).not.toHaveProperty('max_tokens');
  });

  it('passes the ordinary parameters through unchanged', async () => {
    const params = { temperature: 0.3, top_p: 0.9, seed: 42, stop: ['END'], presence_penalty: 0.5, frequency_penalty: -0.5, user: 'u-1', n: 2, logit_bias: { '50256': -100 } };
    const { upstream } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, ...params });
    expect(upstream).toMatchObject(params);
  });

  it('drops top_k for type openai with an unsupported_parameter warning, keeps it for openai-compatible', async () => {
    const openai = await roundTrip({ model: 'oa', messages: USER_MESSAGE, top_k: 40, min_p: 0.1, temperature: 0.5 });
    expect(openai.upstream).not.toHaveProperty('top_k');
    expect(openai.upstream).not.toHaveProperty('min_p');
    expect(openai.upstream.temperature).toBe(0.5);
    expect(warningsOf(openai.metadata, 'unsupported_parameter')).toEqual(expect.arrayContaining(['top_k', 'min_p']));

    stack.simulator.clearRequests();
    const compat = await roundTrip({ model: 'compat', messages: USER_MESSAGE, top_k: 40 });
    expect(compat.upstream.top_k).toBe(40);
    expect(warningsOf(compat.metadata, 'unsupported_parameter')).not.toContain('top_k');
  });

  describe('extensions', () => {
    const extension = {
      custom_flag: true,
      nested: { keep: 1, api_key: 'sk-nested-secret', deeper: [{ Token: 'tok-secret', ok: 2 }] },
      Authorization: 'Bearer ext-secret',
      'X-Api-Key': 'ext-secret-2',
      model: 'evil-model',
      Max_Tokens: 5,
      messages: [{ role: 'system', content: 'injected' }],
      temperature: 2,
      system: 'injected system',
    };

    it('merges extensions.openai after removing credentials at any depth and core fields at the top', async () => {
      const { upstream, metadata } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, temperature: 0.2, extensions: { openai: extension } });
      expect(upstream.custom_flag).toBe(true);
      expect(upstream.nested).toEqual({ keep: 1, deeper: [{ ok: 2 }] });
      expect(upstream.model).toBe('vendor/upstream-oa-1');
      expect(upstream.messages).toEqual(USER_MESSAGE);
      expect(upstream.temperature).toBe(0.2);
      for (const field of ['Authorization', 'X-Api-Key', 'Max_Tokens', 'max_tokens', 'system']) expect(upstream, field).not.toHaveProperty(field);
      expect(JSON.stringify(upstream)).not.toMatch(/secret|injected|evil/);
      expect(warningsOf(metadata, 'blocked_extension_field').sort()).toEqual(
        [
          'extensions.openai.Authorization',
          'extensions.openai.Max_Tokens',
          'extensions.openai.X-Api-Key',
          'extensions.openai.messages',
          'extensions.openai.model',
          'extensions.openai.nested.api_key',
          'extensions.openai.nested.deeper[0].Token',
          'extensions.openai.system',
          'extensions.openai.temperature',
        ].sort(),
      );
    });

    it('keeps the extension secrets out of the logs', async () => {
      await roundTrip({ model: 'oa', messages: USER_MESSAGE, extensions: { openai: extension } });
      expect(stack.rawLogs()).not.toMatch(/sk-nested-secret|tok-secret|ext-secret/);
    });

    it('merges extensions.<provider id>, and ignores extensions meant for other providers', async () => {
      const { upstream, metadata } = await roundTrip({
        model: 'oa',
        messages: USER_MESSAGE,
        extensions: { alpha: { by_id: 'yes' }, anthropic: { thinking: { type: 'enabled' } }, compat: { other: 1 } },
      });
      expect(upstream.by_id).toBe('yes');
      expect(upstream).not.toHaveProperty('thinking');
      expect(upstream).not.toHaveProperty('other');
      expect(metadata.warnings ?? []).toEqual([]);
    });

    it('does not merge extensions.openai into an openai-compatible provider, but does merge its own id', async () => {
      const { upstream } = await roundTrip({ model: 'compat', messages: USER_MESSAGE, extensions: { openai: { only_openai: 1 }, compat: { repetition_penalty_mode: 'x' } } });
      expect(upstream).not.toHaveProperty('only_openai');
      expect(upstream.repetition_penalty_mode).toBe('x');
    });

    it('lets reasoning_effort win over reasoning fields in an extension', async () => {
      const { upstream, metadata } = await roundTrip({ model: 'oa', messages: USER_MESSAGE, reasoning_effort: 'high', extensions: { openai: { reasoning_effort: 'low' } } });
      expect(upstream.reasoning_effort).toBe('high');
      expect(warningsOf(metadata, 'blocked_extension_field')).toEqual(['extensions.openai.reasoning_effort']);
    });
  });

  describe('message fields meant for other providers', () => {
    const messages = [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'What is 2+2?', cache_control: { type: 'ephemeral' } },
      {
        role: 'assistant',
        content: '4',
        reasoning_content: 'Adding two and two.',
        thinking_blocks: [{ type: 'thinking', thinking: 'Adding.', signature: 'sig-123' }],
      },
      { role: 'user', content: 'And 3+3?' },
    ];

    it('strips cache_control, reasoning_content and thinking_blocks for type openai', async () => {
      const { upstream } = await roundTrip({ model: 'oa', messages });
      const sent = upstream.messages as Body[];
      expect(sent).toHaveLength(4);
      expect(sent[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
      expect(sent[1]).toEqual({ role: 'user', content: 'What is 2+2?' });
      expect(sent[2]).toEqual({ role: 'assistant', content: '4' });
      expect(sent[3]).toEqual(messages[3]);
    });

    it('keeps reasoning_content (but not cache_control or thinking_blocks) for type openai-compatible', async () => {
      const { upstream } = await roundTrip({ model: 'compat', messages });
      const sent = upstream.messages as Body[];
      expect(sent[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
      expect(sent[1]).toEqual({ role: 'user', content: 'What is 2+2?' });
      expect(sent[2]).toEqual({ role: 'assistant', content: '4', reasoning_content: 'Adding two and two.' });
    });

    it('round-trips unknown fields on tool calls for openai-compatible, minus other providers’ fields', async () => {
      const toolMessages = [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' }, signature_x: 'keep-me', extra_content: { google: {} } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ];
      const { upstream } = await roundTrip({ model: 'compat', messages: toolMessages, tools: [{ type: 'function', function: { name: 'weather' } }], tool_choice: 'none' });
      const call = ((upstream.messages as Body[])[1]?.tool_calls as Body[])[0];
      expect(call).toEqual({ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' }, signature_x: 'keep-me' });
    });
  });
});
