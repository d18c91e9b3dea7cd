import { describe, expect, it } from 'vitest';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { UpstreamTarget } from '../adapter.js';
import { buildOpenAIRequest } from './buildOpenAIRequest.js';
import { OPENAI_PROFILE } from './openaiAdapter.js';

const OPTIONAL: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };

function build(model: string, fields: Record<string, unknown>, capabilities: OfferCapabilities = OPTIONAL) {
  const target: UpstreamTarget = { providerId: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk', headers: {}, upstreamModel: model, capabilities, maxOutputTokens: undefined };
  const built = buildOpenAIRequest(validateChatRequest({ model, messages: [{ role: 'user', content: 'hi' }], ...fields }).request, target, OPENAI_PROFILE);
  return { body: JSON.parse(built.body) as Record<string, unknown>, warnings: built.warnings };
}

describe('OpenAI: reasoning_effort per model family (providers.md §1.2)', () => {
  it.each<[string, string, string | undefined, boolean]>([
    // model, requested, sent (undefined = dropped), warned
    ['o3', 'low', 'low', false],
    ['o3', 'xhigh', 'high', true],
    ['o3', 'max', 'high', false],
    ['o3', 'off', 'low', true],
    ['o4-mini', 'medium', 'medium', false],
    ['gpt-5', 'off', 'minimal', true],
    ['gpt-5-mini', 'xhigh', 'high', true],
    ['gpt-5-nano', 'max', 'high', false],
    ['gpt-5-pro', 'low', 'high', true],
    ['gpt-5.1', 'off', 'none', false],
    ['gpt-5.1', 'xhigh', 'high', true],
    ['gpt-5.1-codex-max', 'xhigh', 'xhigh', false],
    ['gpt-5.1-codex-max', 'off', 'low', true],
    ['gpt-5.2', 'xhigh', 'xhigh', false],
    ['gpt-5.2', 'max', 'xhigh', false],
    ['gpt-5.6-luna', 'max', 'max', false],
    ['gpt-5.6-terra', 'off', 'none', false],
    // Not in the table: sent as requested, the upstream has the last word.
    ['gpt-4.1', 'high', 'high', false],
    ['my-finetune', 'max', 'max', false],
  ])('%s: %s → %s', (model, effort, sent, warned) => {
    const { body, warnings } = build(model, { reasoning_effort: effort });
    expect(body.reasoning_effort).toBe(sent);
    expect(warnings.some((warning) => warning.param === 'reasoning_effort')).toBe(warned);
  });

  it('says which value went out when it normalises', () => {
    expect(build('o3', { reasoning_effort: 'xhigh' }).warnings).toEqual([
      { code: 'unsupported_parameter', param: 'reasoning_effort', message: expect.stringMatching(/"xhigh".*o3.*"high"/) },
    ]);
  });
});

describe('OpenAI: reasoning models and sampling parameters', () => {
  const SAMPLING = { temperature: 0.2, top_p: 0.9, presence_penalty: 0.1, frequency_penalty: 0.1, logprobs: true, top_logprobs: 2, logit_bias: { '50256': -100 } };
  const DROPPED = ['frequency_penalty', 'logit_bias', 'logprobs', 'presence_penalty', 'temperature', 'top_logprobs', 'top_p'];

  it.each(['o3', 'gpt-5', 'gpt-5.2'])('%s while reasoning: drops temperature, top_p, penalties, logprobs and logit_bias with warnings', (model) => {
    const { body, warnings } = build(model, { ...SAMPLING, reasoning_effort: 'high' });
    for (const name of DROPPED) expect(body).not.toHaveProperty(name);
    expect(warnings.map((warning) => warning.param).sort()).toEqual(DROPPED);
    for (const warning of warnings) expect(warning.message).toContain('while the model reasons');
  });

  it('keeps temperature 1, the only value reasoning models take', () => {
    const { body, warnings } = build('o3', { temperature: 1 });
    expect(body.temperature).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('gpt-5.1+ with reasoning off (none, also their default) takes the sampling parameters again', () => {
    expect(build('gpt-5.2', { ...SAMPLING, reasoning_effort: 'off' }).body).toMatchObject(SAMPLING);
    expect(build('gpt-5.1', SAMPLING).warnings).toEqual([]);
    // gpt-5 cannot switch reasoning off, so it still drops them.
    expect(build('gpt-5', SAMPLING).warnings).toHaveLength(DROPPED.length);
  });

  it('o3 and o4-mini take no stop sequences', () => {
    const { body, warnings } = build('o3', { stop: ['END'] });
    expect(body).not.toHaveProperty('stop');
    expect(warnings).toEqual([expect.objectContaining({ param: 'stop', message: expect.stringContaining('for this model') })]);
    expect(build('gpt-5.2', { stop: ['END'] }).body.stop).toEqual(['END']);
  });

  it('non-reasoning models keep every sampling parameter', () => {
    expect(build('gpt-4o', SAMPLING).body).toMatchObject(SAMPLING);
    expect(build('gpt-5-chat-latest', SAMPLING).warnings).toEqual([]);
  });

  it('always sends the output limit as max_completion_tokens', () => {
    expect(build('o3', { max_tokens: 500 }).body).toMatchObject({ max_completion_tokens: 500 });
  });

  it('forwards prompt_cache_key and strips cache_control', () => {
    const { body } = build('gpt-5.2', { prompt_cache_key: 'user-42', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] });
    expect(body.prompt_cache_key).toBe('user-42');
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });
});
