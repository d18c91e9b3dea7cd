import { describe, expect, it } from 'vitest';
import { parseModelSuffix } from './parseModelSuffix.js';

describe('parseModelSuffix', () => {
  it.each([
    ['gpt-4o:cost-focus', 'gpt-4o', 'cost-focus', undefined],
    ['gpt-4o:cost', 'gpt-4o', 'cost', undefined],
    ['gpt-4o:ttft-focus', 'gpt-4o', 'ttft-focus', undefined],
    ['gpt-4o:ttft', 'gpt-4o', 'ttft', undefined],
    ['gpt-4o:tps-focus', 'gpt-4o', 'tps-focus', undefined],
    ['gpt-4o:tps', 'gpt-4o', 'tps', undefined],
    ['gpt-4o:balanced', 'gpt-4o', 'balanced', undefined],
    ['gpt-4o:floor', 'gpt-4o', 'cost-focus', 'floor'],
    ['gpt-4o:nitro', 'gpt-4o', 'ttft-focus', 'nitro'],
    ['gpt-4o:fast', 'gpt-4o', 'ttft', 'fast'],
    ['anthropic/claude-sonnet-4:tps', 'anthropic/claude-sonnet-4', 'tps', undefined],
  ])('reads the suffix of %s', (id, model, strategy, legacySuffix) => {
    expect(parseModelSuffix(id)).toEqual({ model, strategy, legacySuffix });
  });

  it.each(['gpt-4o', 'ft:gpt-4o:org:custom', 'ft:gpt-4o:cost', 'x:unknown', 'gpt-4o:Cost', 'gpt-4o:', 'gpt-4o:cost:'])(
    'passes %s through whole',
    (id) => {
      expect(parseModelSuffix(id)).toEqual({ model: id, strategy: undefined, legacySuffix: undefined });
    },
  );
});
