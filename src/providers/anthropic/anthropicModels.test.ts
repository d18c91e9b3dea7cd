import { describe, expect, it } from 'vitest';
import { lookupAnthropicModel, UNKNOWN_ANTHROPIC_MODEL } from './anthropicModels.js';

describe('lookupAnthropicModel', () => {
  it.each<[string, string, number, boolean, boolean]>([
    ['claude-3-haiku-20240307', 'none', 4096, false, false],
    ['claude-3-5-sonnet-20241022', 'none', 8192, false, false],
    ['claude-3-7-sonnet-20250219', 'budget', 64_000, false, false],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'budget', 64_000, false, false],
    ['claude-sonnet-4-20250514', 'budget', 64_000, false, false],
    ['claude-opus-4-20250514', 'budget', 32_000, false, false],
    ['claude-opus-4-1-20250805', 'budget', 32_000, false, false],
    ['claude-sonnet-4-5-20250929', 'budget', 64_000, true, false],
    ['claude-haiku-4-5@20251001', 'budget', 64_000, true, false],
    ['claude-opus-4-5-20251101', 'budget', 64_000, true, false],
    ['claude-opus-4-6', 'adaptive', 128_000, true, false],
    ['claude-sonnet-4-6', 'adaptive', 128_000, true, false],
    ['claude-opus-4-7', 'adaptive', 128_000, true, true],
    ['claude-opus-4-8', 'adaptive', 128_000, true, true],
    ['claude-sonnet-5', 'adaptive', 128_000, true, true],
    ['claude-opus-5-5', 'adaptive', 128_000, true, true],
    ['CLAUDE-FABLE-5', 'adaptive', 128_000, true, true],
  ])('%s: %s thinking, %i max output, structured outputs %s, fixed sampling %s', (id, thinking, max, structured, fixed) => {
    expect(lookupAnthropicModel(id)).toMatchObject({ thinking, maxOutputTokens: max, structuredOutputs: structured, fixedSampling: fixed });
  });

  it('knows which models refuse thinking:{type:"disabled"} or budgets, think by default, or take xhigh', () => {
    expect(lookupAnthropicModel('claude-opus-4-7')).toMatchObject({ acceptsDisabled: false, acceptsBudget: false, thinksByDefault: false, efforts: expect.arrayContaining(['xhigh']) });
    expect(lookupAnthropicModel('claude-opus-4-6')).toMatchObject({ acceptsDisabled: true, acceptsBudget: true, efforts: ['low', 'medium', 'high', 'max'] });
    expect(lookupAnthropicModel('claude-sonnet-5')).toMatchObject({ acceptsDisabled: true, thinksByDefault: true });
    expect(lookupAnthropicModel('claude-opus-5-5')).toMatchObject({ acceptsDisabled: false, thinksByDefault: true });
    expect(lookupAnthropicModel('claude-sonnet-5-5').forcedToolUse).toBe(false);
  });

  it('assumes the current API for ids it does not know', () => {
    expect(lookupAnthropicModel('sim-anything')).toBe(UNKNOWN_ANTHROPIC_MODEL);
    expect(UNKNOWN_ANTHROPIC_MODEL).toMatchObject({ thinking: 'adaptive', structuredOutputs: false, fixedSampling: false });
  });
});
