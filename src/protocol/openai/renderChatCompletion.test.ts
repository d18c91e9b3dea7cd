import { describe, expect, it } from 'vitest';
import type { ChatResult, ResultChoice } from '../../core/chatResult.js';
import type { RoutingMetadata } from '../../core/routingMetadata.js';
import { renderChatCompletion } from './renderChatCompletion.js';

const METADATA: RoutingMetadata = { provider: 'openai', provider_model_id: 'gpt-5.2', model_canonical: 'gpt-5.2', routing_strategy: 'cost-focus', cost: { usd: 0.001 } };

function result(choices: ResultChoice[], fields: Partial<ChatResult> = {}): ChatResult {
  return { id: 'chatcmpl-abc123', created: 1767225600, model: 'gpt-5.2-2025-12-11', choices, usage: undefined, ...fields };
}

const TOOL_CALL = { id: 'call_9f2', type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };

describe('renderChatCompletion', () => {
  it('renders the §1.4 response with routing_metadata last', () => {
    const body = renderChatCompletion(
      result(
        [{ index: 0, finishReason: 'tool_calls', message: { content: null, refusal: null, toolCalls: [TOOL_CALL], extra: { annotations: [] } } }],
        {
          systemFingerprint: null,
          serviceTier: 'default',
          usage: { promptTokens: 1320, completionTokens: 210, totalTokens: 1530, cachedTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 192 },
        },
      ),
      METADATA,
      false,
    );
    expect(body).toEqual({
      id: 'chatcmpl-abc123',
      object: 'chat.completion',
      created: 1767225600,
      model: 'gpt-5.2-2025-12-11',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, tool_calls: [TOOL_CALL], annotations: [] },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1320, completion_tokens: 210, total_tokens: 1530, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 192 } },
      system_fingerprint: null,
      service_tier: 'default',
      routing_metadata: METADATA,
    });
    expect(Object.keys(body).at(-1)).toBe('routing_metadata');
    expect(Object.keys(body).slice(0, 4)).toEqual(['id', 'object', 'created', 'model']);
  });

  it('renders reasoning as reasoning_content (§5.1) and cache writes when there are any', () => {
    const body = renderChatCompletion(
      result([{ index: 0, finishReason: 'stop', message: { content: '18°C in Paris.', reasoningContent: 'Tool says 18°C.' } }], {
        usage: { promptTokens: 210, completionTokens: 22, totalTokens: 232, cachedTokens: 192, cacheWriteTokens: 8, reasoningTokens: 9 },
      }),
      METADATA,
      false,
    );
    expect(body.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '18°C in Paris.', reasoning_content: 'Tool says 18°C.' }, logprobs: null, finish_reason: 'stop' }]);
    expect(body.usage).toEqual({ prompt_tokens: 210, completion_tokens: 22, total_tokens: 232, prompt_tokens_details: { cached_tokens: 192, cache_write_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 9 } });
  });

  it('renders zero usage when the upstream sent none, and leaves out absent fingerprint and tier', () => {
    const body = renderChatCompletion(result([{ index: 0, finishReason: 'stop', message: { content: 'hi' } }]), METADATA, false);
    expect(body.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
    expect(body).not.toHaveProperty('system_fingerprint');
    expect(body).not.toHaveProperty('service_tier');
  });

  it('renders several choices with their logprobs', () => {
    const logprobs = { content: [{ token: 'A', logprob: -0.1, bytes: [65], top_logprobs: [] }], refusal: null };
    const body = renderChatCompletion(
      result([
        { index: 0, finishReason: 'stop', message: { content: 'A' }, logprobs },
        { index: 1, finishReason: 'length', message: { content: 'B' } },
      ]),
      METADATA,
      false,
    );
    expect(body.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'A' }, logprobs, finish_reason: 'stop' },
      { index: 1, message: { role: 'assistant', content: 'B' }, logprobs: null, finish_reason: 'length' },
    ]);
  });

  it('leaves out an empty tool_calls list', () => {
    const body = renderChatCompletion(result([{ index: 0, finishReason: 'stop', message: { content: 'x', toolCalls: [] } }]), METADATA, false);
    expect((body.choices as { message: object }[])[0]?.message).toEqual({ role: 'assistant', content: 'x' });
  });

  it('keeps tool-call fields that providers attach (signatures)', () => {
    const call = { ...TOOL_CALL, extra_content: { google: { thought_signature: 'sig' } } };
    const body = renderChatCompletion(result([{ index: 0, finishReason: 'tool_calls', message: { content: null, toolCalls: [call] } }]), METADATA, false);
    expect((body.choices as { message: { tool_calls: unknown } }[])[0]?.message.tool_calls).toEqual([call]);
  });

  it('gives a legacy functions caller the first call as function_call and finish_reason function_call', () => {
    const second = { id: 'call_2', type: 'function' as const, function: { name: 'other', arguments: '{}' } };
    const body = renderChatCompletion(result([{ index: 0, finishReason: 'tool_calls', message: { content: null, toolCalls: [TOOL_CALL, second] } }]), METADATA, true);
    expect(body.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, logprobs: null, finish_reason: 'function_call' },
    ]);
  });

  it('keeps other finish reasons in legacy mode', () => {
    const body = renderChatCompletion(result([{ index: 0, finishReason: 'length', message: { content: 'x' } }]), METADATA, true);
    expect((body.choices as { finish_reason: string }[])[0]?.finish_reason).toBe('length');
  });

  it('adds extra message fields without letting them overwrite the rendered ones', () => {
    const body = renderChatCompletion(
      result([
        {
          index: 0,
          finishReason: 'stop',
          message: {
            content: 'real',
            reasoningContent: 'real reasoning',
            extra: { content: 'fake', role: 'user', reasoning_content: 'fake', thinking_blocks: [{ type: 'thinking', signature: 's' }], audio: { id: 'a' } },
          },
        },
      ]),
      METADATA,
      false,
    );
    expect((body.choices as { message: object }[])[0]?.message).toEqual({
      role: 'assistant',
      content: 'real',
      reasoning_content: 'real reasoning',
      thinking_blocks: [{ type: 'thinking', signature: 's' }],
      audio: { id: 'a' },
    });
  });

  it('produces a body that survives JSON serialisation unchanged', () => {
    const body = renderChatCompletion(
      result([{ index: 0, finishReason: 'stop', message: { content: 'quote " newline \n emoji 🌍', refusal: null } }], { systemFingerprint: 'fp_1' }),
      { ...METADATA, warnings: [{ code: 'unsupported_parameter', param: 'top_k', message: "'top_k' was dropped." }] },
      false,
    );
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
