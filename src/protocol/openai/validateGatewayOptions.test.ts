import { describe, expect, it } from 'vitest';
import type { Warning } from '../../core/warning.js';
import { validateChatRequest } from './validateChatRequest.js';

const MESSAGES = [{ role: 'user', content: 'hi' }];

function validate(fields: Record<string, unknown>) {
  const { request, warnings } = validateChatRequest({ messages: MESSAGES, ...fields });
  return { gateway: request.gateway, warnings };
}

function withRouting(routing: Record<string, unknown>) {
  return validate({ model: 'm', gateway: { routing } });
}

function expectRejected(fields: Record<string, unknown>, status: number, code: string, param: string): void {
  expect(() => validateChatRequest({ messages: MESSAGES, ...fields })).toThrow(
    expect.objectContaining({ name: 'GatewayError', status, code, param }),
  );
}

function legacy(param: string): Warning {
  return { code: 'legacy_field_converted', param, message: expect.any(String) as string };
}

describe('validateGatewayOptions: models', () => {
  it('reads model', () => {
    expect(validate({ model: 'gpt-4o' }).gateway).toEqual({
      models: ['gpt-4o'],
      modelsParam: 'model',
      mode: 'pool',
      strategy: undefined,
      routing: {},
      metadata: {},
    });
  });

  it('reads gateway.models and strips their suffixes; the first suffix sets the strategy', () => {
    const { gateway, warnings } = validate({ gateway: { models: ['a', 'b:tps', 'c:cost', 'ft:d:org:x'], mode: 'fallback' } });
    expect(gateway).toMatchObject({ models: ['a', 'b', 'c', 'ft:d:org:x'], modelsParam: 'gateway.models', mode: 'fallback', strategy: 'tps' });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['gpt-4o:cost', 'gpt-4o', 'cost'],
    ['ft:gpt-4o:org:custom', 'ft:gpt-4o:org:custom', undefined],
    ['x:unknown', 'x:unknown', undefined],
  ])('reads the suffix of model %s', (model, id, strategy) => {
    const { gateway, warnings } = validate({ model });
    expect(gateway.models).toEqual([id]);
    expect(gateway.strategy).toBe(strategy);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['floor', 'cost-focus'],
    ['nitro', 'ttft-focus'],
    ['fast', 'ttft'],
  ])('converts the legacy suffix :%s with a warning', (suffix, strategy) => {
    const { gateway, warnings } = validate({ model: `gpt-4o:${suffix}` });
    expect(gateway.models).toEqual(['gpt-4o']);
    expect(gateway.strategy).toBe(strategy);
    expect(warnings).toEqual([legacy('model')]);
  });

  it('names the list entry in a legacy suffix warning', () => {
    expect(validate({ gateway: { models: ['a', 'b:nitro'] } }).warnings).toEqual([legacy('gateway.models[1]')]);
  });

  it('lets gateway.routing.optimize win over a suffix', () => {
    expect(validate({ model: 'm:tps', gateway: { routing: { optimize: 'balanced' } } }).gateway.strategy).toBe('balanced');
  });

  it('accepts 10 models', () => {
    const models = Array.from({ length: 10 }, (_, i) => `m${i}`);
    expect(validate({ gateway: { models } }).gateway.models).toEqual(models);
  });

  it('treats a null model as absent', () => {
    expect(validate({ model: null, gateway: { models: ['a'] } }).gateway.models).toEqual(['a']);
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    ['neither model nor gateway.models', {}, 400, 'missing_required_parameter', 'model'],
    ['an empty gateway', { gateway: {} }, 400, 'missing_required_parameter', 'model'],
    ['both model and gateway.models', { model: 'a', gateway: { models: ['b'] } }, 400, 'invalid_request', 'model'],
    ['both model and legacy models', { model: 'a', models: ['b'] }, 400, 'invalid_request', 'model'],
    ['model number', { model: 4 }, 400, 'invalid_parameter_value', 'model'],
    ['model empty', { model: '' }, 400, 'invalid_parameter_value', 'model'],
    ['model of 257 characters', { model: 'm'.repeat(257) }, 400, 'invalid_parameter_value', 'model'],
    ['a bare suffix', { model: ':cost' }, 400, 'invalid_parameter_value', 'model'],
    ['gateway not an object', { model: 'm', gateway: 'fast' }, 400, 'invalid_parameter_value', 'gateway'],
    ['gateway array', { model: 'm', gateway: [] }, 400, 'invalid_parameter_value', 'gateway'],
    ['gateway.models not an array', { gateway: { models: 'a' } }, 400, 'invalid_parameter_value', 'gateway.models'],
    ['gateway.models empty', { gateway: { models: [] } }, 400, 'invalid_parameter_value', 'gateway.models'],
    ['11 models', { gateway: { models: Array.from({ length: 11 }, (_, i) => `m${i}`) } }, 400, 'invalid_parameter_value', 'gateway.models'],
    ['an empty model in the list', { gateway: { models: ['a', ''] } }, 400, 'invalid_parameter_value', 'gateway.models[1]'],
    ['a number in the list', { gateway: { models: [1] } }, 400, 'invalid_parameter_value', 'gateway.models[0]'],
    ['a bad legacy models list', { models: [] }, 400, 'invalid_parameter_value', 'models'],
    ['a bad entry in legacy models', { models: ['a', 2] }, 400, 'invalid_parameter_value', 'models[1]'],
    ['gateway.mode unknown', { model: 'm', gateway: { mode: 'race' } }, 400, 'invalid_parameter_value', 'gateway.mode'],
  ])('rejects %s', (_name, fields, status, code, param) => {
    expectRejected(fields, status, code, param);
  });
});

describe('validateGatewayOptions: legacy top-level fields and unknown keys', () => {
  it('converts models, routing and auriko_metadata with a warning each', () => {
    const { gateway, warnings } = validate({ models: ['a', 'b'], routing: { optimize: 'cost', mode: 'fallback' }, auriko_metadata: { trace: 't1' } });
    expect(gateway).toEqual({
      models: ['a', 'b'],
      modelsParam: 'gateway.models',
      mode: 'fallback',
      strategy: 'cost',
      routing: { optimize: 'cost' },
      metadata: { trace: 't1' },
    });
    expect(warnings).toEqual([legacy('models'), legacy('routing'), legacy('auriko_metadata')]);
  });

  it('prefers the gateway fields and reports the legacy ones as ignored', () => {
    const { gateway, warnings } = validate({
      gateway: { models: ['a'], routing: { optimize: 'tps' }, metadata: { k: 'v' } },
      models: 'not even valid',
      routing: 7,
      auriko_metadata: { k: 'other' },
    });
    expect(gateway).toMatchObject({ models: ['a'], routing: { optimize: 'tps' }, metadata: { k: 'v' } });
    expect(warnings).toEqual([legacy('models'), legacy('routing'), legacy('auriko_metadata')]);
    expect(warnings.every((w) => w.message.includes('ignored'))).toBe(true);
  });

  it('uses the legacy name in the param of a legacy field error', () => {
    expectRejected({ model: 'm', routing: { max_ttft_ms: 0 } }, 400, 'invalid_parameter_value', 'routing.max_ttft_ms');
    expectRejected({ model: 'm', auriko_metadata: { k: 1 } }, 400, 'invalid_parameter_value', 'auriko_metadata.k');
  });

  it('drops unknown keys of gateway and gateway.routing with a warning naming their path', () => {
    const { gateway, warnings } = withRouting({ optimize: 'cost', speedy: true, weights: { cost: 1, latency: 2 } });
    expect(gateway.routing).toEqual({ optimize: 'cost', weights: { cost: 1 } });
    expect(warnings).toEqual([
      { code: 'unsupported_field', param: 'gateway.routing.speedy', message: expect.any(String) },
      { code: 'unsupported_field', param: 'gateway.routing.weights.latency', message: expect.any(String) },
    ]);
    expect(validate({ model: 'm', gateway: { cache: true } }).warnings).toEqual([
      { code: 'unsupported_field', param: 'gateway.cache', message: expect.any(String) },
    ]);
  });
});

describe('validateGatewayOptions: mode and metadata', () => {
  it('accepts gateway.routing.mode, and gateway.mode wins over it with a warning', () => {
    expect(withRouting({ mode: 'fallback' }).gateway.mode).toBe('fallback');
    expect(withRouting({ mode: 'fallback' }).gateway.routing).toEqual({});
    const both = validate({ model: 'm', gateway: { mode: 'pool', routing: { mode: 'fallback' } } });
    expect(both.gateway.mode).toBe('pool');
    expect(both.warnings).toEqual([{ code: 'unsupported_field', param: 'gateway.routing.mode', message: expect.any(String) }]);
    expect(validate({ model: 'm', gateway: { mode: 'pool', routing: { mode: 'pool' } } }).warnings).toEqual([]);
  });

  it('keeps metadata as sent', () => {
    const metadata = { trace_id: 'abc' };
    expect(validate({ model: 'm', gateway: { metadata } }).gateway.metadata).toBe(metadata);
  });

  it('accepts metadata at its limits', () => {
    const metadata = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`${'k'.repeat(120)}${i}`, 'v'.repeat(1024)]));
    expect(validate({ model: 'm', gateway: { metadata } }).gateway.metadata).toBe(metadata);
  });

  it.each<[string, unknown, string]>([
    ['metadata string', 'x', 'gateway.metadata'],
    ['metadata array', [], 'gateway.metadata'],
    ['a number value', { a: 1 }, 'gateway.metadata.a'],
    ['a null value', { a: null }, 'gateway.metadata.a'],
    ['a value of 1025 characters', { a: 'v'.repeat(1025) }, 'gateway.metadata.a'],
    ['an empty key', { '': 'v' }, 'gateway.metadata'],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, 'gateway.metadata'],
    ['65 entries', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])), 'gateway.metadata'],
  ])('rejects %s', (_name, metadata, param) => {
    expectRejected({ model: 'm', gateway: { metadata } }, 400, 'invalid_parameter_value', param);
  });
});

describe('validateRoutingOptions', () => {
  it('accepts every option, keeping only those sent', () => {
    const routing = {
      optimize: 'ttft-focus',
      weights: { cost: 0, ttft: 2, tps: 1.5, reliability: 1 },
      max_ttft_ms: 800,
      ttft_percentile: 'p95',
      min_throughput_tps: 40.5,
      throughput_percentile: 'p50',
      min_success_rate: 0.99,
      max_cost_per_1m: 0,
      providers: ['openai', 'azure'],
      exclude: ['x'],
      prefer: ['openai'],
      data_policy: 'zdr',
      only_byok: true,
      only_platform: false,
      require_parameters: true,
      allow_fallbacks: false,
      max_fallback_attempts: 10,
      tier: 'priority',
      deadline_ms: 30000,
    };
    const { gateway, warnings } = withRouting(routing);
    expect(gateway.routing).toEqual(routing);
    expect(gateway.strategy).toBe('ttft-focus');
    expect(warnings).toEqual([]);
    expect(withRouting({ max_ttft_ms: 100 }).gateway.routing).toEqual({ max_ttft_ms: 100 });
    expect(withRouting({ max_ttft_ms: null }).gateway.routing).toEqual({});
  });

  it('turns a single preferred provider into a list', () => {
    expect(withRouting({ prefer: 'openai' }).gateway.routing).toEqual({ prefer: ['openai'] });
  });

  it('reads exclude_providers as exclude, merging both when both are sent', () => {
    expect(withRouting({ exclude_providers: ['a'] }).gateway.routing).toEqual({ exclude: ['a'] });
    expect(withRouting({ exclude: ['a', 'b'], exclude_providers: ['b', 'c'] }).gateway.routing).toEqual({ exclude: ['a', 'b', 'c'] });
  });

  it.each([
    ['cheapest', 'cost-focus'],
    ['throughput', 'tps'],
  ])("converts the legacy optimize '%s' to '%s'", (sent, strategy) => {
    const { gateway, warnings } = withRouting({ optimize: sent });
    expect(gateway.routing).toEqual({ optimize: strategy });
    expect(gateway.strategy).toBe(strategy);
    expect(warnings).toEqual([legacy('gateway.routing.optimize')]);
  });

  it("converts the legacy optimize 'speed' to even ttft and tps weights", () => {
    const { gateway, warnings } = validate({ model: 'm:cost', gateway: { routing: { optimize: 'speed' } } });
    expect(gateway.routing).toEqual({ weights: { ttft: 1, tps: 1 } });
    expect(gateway.strategy).toBe('cost');
    expect(warnings).toEqual([legacy('gateway.routing.optimize')]);
  });

  it("keeps explicit weights over the legacy 'speed', whatever the key order", () => {
    expect(withRouting({ optimize: 'speed', weights: { cost: 1 } }).gateway.routing).toEqual({ weights: { cost: 1 } });
    expect(withRouting({ weights: { cost: 1 }, optimize: 'speed' }).gateway.routing).toEqual({ weights: { cost: 1 } });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['an unknown strategy', { optimize: 'cheap' }, 'invalid_parameter_value', 'gateway.routing.optimize'],
    ['weights not an object', { weights: [1] }, 'invalid_parameter_value', 'gateway.routing.weights'],
    ['a negative weight', { weights: { cost: -1, ttft: 1 } }, 'invalid_parameter_value', 'gateway.routing.weights.cost'],
    ['an infinite weight', { weights: { tps: Infinity } }, 'invalid_parameter_value', 'gateway.routing.weights.tps'],
    ['a string weight', { weights: { reliability: '1' } }, 'invalid_parameter_value', 'gateway.routing.weights.reliability'],
    ['all weights zero', { weights: { cost: 0, ttft: 0 } }, 'invalid_parameter_value', 'gateway.routing.weights'],
    ['no weights', { weights: {} }, 'invalid_parameter_value', 'gateway.routing.weights'],
    ['max_ttft_ms 0', { max_ttft_ms: 0 }, 'invalid_parameter_value', 'gateway.routing.max_ttft_ms'],
    ['max_ttft_ms string', { max_ttft_ms: '500' }, 'invalid_parameter_value', 'gateway.routing.max_ttft_ms'],
    ['ttft_percentile p99', { ttft_percentile: 'p99' }, 'invalid_parameter_value', 'gateway.routing.ttft_percentile'],
    ['min_throughput_tps negative', { min_throughput_tps: -5 }, 'invalid_parameter_value', 'gateway.routing.min_throughput_tps'],
    ['throughput_percentile number', { throughput_percentile: 50 }, 'invalid_parameter_value', 'gateway.routing.throughput_percentile'],
    ['min_success_rate above 1', { min_success_rate: 1.5 }, 'invalid_parameter_value', 'gateway.routing.min_success_rate'],
    ['max_cost_per_1m negative', { max_cost_per_1m: -0.01 }, 'invalid_parameter_value', 'gateway.routing.max_cost_per_1m'],
    ['providers string', { providers: 'openai' }, 'invalid_parameter_value', 'gateway.routing.providers'],
    ['providers with a number', { providers: ['a', 1] }, 'invalid_parameter_value', 'gateway.routing.providers[1]'],
    ['exclude with an empty id', { exclude: [''] }, 'invalid_parameter_value', 'gateway.routing.exclude[0]'],
    ['exclude_providers string', { exclude_providers: 'a' }, 'invalid_parameter_value', 'gateway.routing.exclude_providers'],
    ['prefer number', { prefer: 3 }, 'invalid_parameter_value', 'gateway.routing.prefer'],
    ['prefer empty string', { prefer: '' }, 'invalid_parameter_value', 'gateway.routing.prefer'],
    ['prefer with a number', { prefer: ['a', 3] }, 'invalid_parameter_value', 'gateway.routing.prefer[1]'],
    ['data_policy unknown', { data_policy: 'private' }, 'invalid_parameter_value', 'gateway.routing.data_policy'],
    ['only_byok string', { only_byok: 'yes' }, 'invalid_parameter_value', 'gateway.routing.only_byok'],
    ['only_platform number', { only_platform: 1 }, 'invalid_parameter_value', 'gateway.routing.only_platform'],
    ['require_parameters string', { require_parameters: 'true' }, 'invalid_parameter_value', 'gateway.routing.require_parameters'],
    ['allow_fallbacks number', { allow_fallbacks: 0 }, 'invalid_parameter_value', 'gateway.routing.allow_fallbacks'],
    ['max_fallback_attempts 11', { max_fallback_attempts: 11 }, 'invalid_parameter_value', 'gateway.routing.max_fallback_attempts'],
    ['max_fallback_attempts fractional', { max_fallback_attempts: 1.5 }, 'invalid_parameter_value', 'gateway.routing.max_fallback_attempts'],
    ['max_fallback_attempts negative', { max_fallback_attempts: -1 }, 'invalid_parameter_value', 'gateway.routing.max_fallback_attempts'],
    ['tier standard', { tier: 'standard' }, 'invalid_parameter_value', 'gateway.routing.tier'],
    ['deadline_ms 0', { deadline_ms: 0 }, 'invalid_parameter_value', 'gateway.routing.deadline_ms'],
    ['mode unknown', { mode: 'race' }, 'invalid_parameter_value', 'gateway.routing.mode'],
    ['only_byok and only_platform', { only_byok: true, only_platform: true }, 'invalid_request', 'gateway.routing.only_byok'],
  ])('rejects %s', (_name, routing, code, param) => {
    expectRejected({ model: 'm', gateway: { routing } }, 400, code, param);
  });

  it('rejects a routing value that is not an object', () => {
    expectRejected({ model: 'm', gateway: { routing: 'fast' } }, 400, 'invalid_parameter_value', 'gateway.routing');
  });

  it('writes clear messages', () => {
    expect(() => withRouting({ max_ttft_ms: -3 })).toThrow("'gateway.routing.max_ttft_ms' must be a number greater than 0, got -3.");
    expect(() => withRouting({ max_fallback_attempts: 12 })).toThrow(
      "'gateway.routing.max_fallback_attempts' must be an integer between 0 and 10, got 12.",
    );
  });
});
