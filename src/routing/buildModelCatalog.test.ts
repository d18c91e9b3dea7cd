import { describe, expect, it } from 'vitest';
import { catalogFileSchema, type ModelConfig } from '../config/configSchema.js';
import { parseConfig } from '../config/parseConfig.js';
import { buildModelCatalog } from './buildModelCatalog.js';
import type { ModelCatalog } from './modelCatalog.js';
import { buildProviderRuntime, type ProviderRuntime } from './providerRuntime.js';

const PERMISSIVE = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };

/** Built-in models as the catalog file would give them. */
const BUILTIN: ModelConfig[] = catalogFileSchema.parse({
  models: [
    {
      id: 'gpt-4o',
      aliases: ['gpt-4o-latest'],
      owned_by: 'openai',
      offers: [
        {
          provider: 'openai',
          upstream_model: 'gpt-4o-2024-08-06',
          price: { input: 2.5, output: 10, cache_read: 1.25 },
          context_window: 128000,
          max_output_tokens: 16384,
          data_policy: 'no_training',
          expect: { ttft_ms: 500, tps: 80 },
          capabilities: { tools: true, json_schema: true, vision: true, reasoning: 'none' },
          supported_parameters: ['temperature', 'top_p', 'tools'],
        },
        { provider: 'azure', upstream_model: 'gpt-4o', price: { input: 2.5, output: 10 } },
      ],
    },
    {
      id: 'llama-3.3-70b-instruct',
      aliases: ['llama-3.3-70b'],
      offers: [
        { provider: 'together_ai', upstream_model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', price: { input: 0.88, output: 0.88 } },
        { provider: 'fireworks', upstream_model: 'accounts/fireworks/models/llama-v3p3-70b-instruct', price: { input: 0.9, output: 0.9 } },
      ],
    },
    { id: 'claude-sonnet-4', offers: [{ provider: 'anthropic', upstream_model: 'claude-sonnet-4-20250514', price: { input: 3, output: 15 } }] },
  ],
}).models;

const PROVIDERS = [
  { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1', api_key: 'sk-1' },
  { id: 'together_ai', type: 'openai-compatible', base_url: 'https://api.together.xyz/v1', api_key: '${TOGETHER_API_KEY}' },
  { id: 'fireworks', type: 'openai-compatible', base_url: 'https://api.fireworks.ai/inference/v1', api_key: 'fw-1' },
  { id: 'local', type: 'vllm', base_url: 'http://127.0.0.1:8000/v1' },
];

function build(configModels: unknown[] = [], options: { builtin?: readonly ModelConfig[]; adjust?: (providers: Map<string, ProviderRuntime>) => void } = {}): ModelCatalog {
  const config = parseConfig({ providers: PROVIDERS, models: configModels }, {});
  const providers = new Map(config.providers.map((provider) => [provider.id, buildProviderRuntime(provider, config.timeouts)] as const));
  options.adjust?.(providers);
  return buildModelCatalog({ builtinModels: options.builtin ?? BUILTIN, configModels: config.models, providers });
}

function offersOf(catalog: ModelCatalog, name: string) {
  const model = catalog.resolve(name);
  if (model === undefined) throw new Error(`no model ${name}`);
  return model.offers;
}

describe('buildModelCatalog: built-in models', () => {
  it('keeps only offers of configured providers, as built-in offers', () => {
    const catalog = build();
    expect(offersOf(catalog, 'gpt-4o').map((offer) => [offer.key, offer.source])).toEqual([['openai/gpt-4o-2024-08-06', 'builtin']]);
    expect(offersOf(catalog, 'claude-sonnet-4')).toEqual([]);
  });

  it('turns declared fields into the offer, prices in micro-USD per 1M tokens', () => {
    expect(offersOf(build(), 'gpt-4o')[0]).toEqual({
      key: 'openai/gpt-4o-2024-08-06',
      modelId: 'gpt-4o',
      providerId: 'openai',
      providerType: 'openai',
      upstreamModel: 'gpt-4o-2024-08-06',
      price: { input: 2_500_000, output: 10_000_000, cacheRead: 1_250_000, cacheWrite: 2_500_000 },
      priceUsd: { input: 2.5, output: 10, cache_read: 1.25 },
      contextWindow: 128000,
      maxOutputTokens: 16384,
      dataPolicy: 'no_training',
      expect: { ttftMs: 500, tps: 80 },
      // Undeclared capabilities stay permissive even when others are declared.
      capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'none' },
      supportedParameters: new Set(['temperature', 'top_p', 'tools']),
      tier: 'standard',
      source: 'builtin',
      byokOnly: false,
    });
  });

  it("marks the offers of a provider whose key resolved empty as BYOK-only, and keeps the model callable through others", () => {
    const catalog = build();
    expect(offersOf(catalog, 'llama-3.3-70b-instruct').map((offer) => [offer.providerId, offer.byokOnly])).toEqual([
      ['together_ai', true],
      ['fireworks', false],
    ]);
    expect(catalog.callable().map((model) => model.id)).toEqual(['gpt-4o', 'llama-3.3-70b-instruct']);
  });

  it('excludes the offers of a disabled provider', () => {
    const catalog = build([], {
      adjust: (providers) => {
        const fireworks = providers.get('fireworks');
        if (fireworks !== undefined) providers.set('fireworks', { ...fireworks, enabled: false, byokOnly: false, disabledReason: 'no adapter' });
      },
    });
    expect(offersOf(catalog, 'llama-3.3-70b-instruct').map((offer) => offer.providerId)).toEqual(['together_ai']);
    // Only a BYOK-only offer is left: listed, but not callable with the gateway's keys.
    expect(catalog.callable().map((model) => model.id)).toEqual(['gpt-4o']);
  });

  it('lists every model in all(), callable or not, and names an owner', () => {
    const catalog = build();
    expect(catalog.all().map((model) => [model.id, model.ownedBy])).toEqual([
      ['gpt-4o', 'openai'],
      ['llama-3.3-70b-instruct', 'together_ai'],
      ['claude-sonnet-4', 'switchyard'],
    ]);
  });
});

describe('buildModelCatalog: config models', () => {
  it('replaces the built-in offer of the same provider, inheriting the fields it does not declare', () => {
    const catalog = build([
      {
        id: 'gpt-4o',
        offers: [{ provider: 'openai', upstream_model: 'gpt-4o', price: { input: 2, output: 8 }, context_window: 64000, capabilities: { vision: false }, expect: { tps: 60 } }],
      },
    ]);
    const offers = offersOf(catalog, 'gpt-4o');
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      key: 'openai/gpt-4o',
      upstreamModel: 'gpt-4o',
      source: 'config',
      // Price replaced as a whole: the built-in cache_read does not survive.
      // The override sets input and output; the catalog's cache-read price is kept.
      priceUsd: { input: 2, output: 8, cache_read: 1.25 },
      price: { input: 2_000_000, output: 8_000_000, cacheRead: 1_250_000 },
      contextWindow: 64000,
      maxOutputTokens: 16384,
      dataPolicy: 'no_training',
      expect: { ttftMs: 500, tps: 60 },
      capabilities: { tools: true, jsonSchema: true, vision: false, reasoning: 'none' },
      supportedParameters: new Set(['temperature', 'top_p', 'tools']),
    });
  });

  it('adds offers of other providers next to the built-in ones', () => {
    const catalog = build([{ id: 'gpt-4o', offers: [{ provider: 'local', upstream_model: 'gpt-4o-clone', price: { input: 0, output: 0 } }] }]);
    expect(offersOf(catalog, 'gpt-4o').map((offer) => [offer.key, offer.source])).toEqual([
      ['openai/gpt-4o-2024-08-06', 'builtin'],
      ['local/gpt-4o-clone', 'config'],
    ]);
  });

  it('merges a config model named by a built-in alias into the canonical model', () => {
    const catalog = build([{ id: 'gpt-4o-latest', aliases: ['my-gpt'], owned_by: 'me', offers: [{ provider: 'local', upstream_model: 'x', price: { input: 0, output: 0 } }] }]);
    expect(catalog.all().map((model) => model.id)).toEqual(['gpt-4o', 'llama-3.3-70b-instruct', 'claude-sonnet-4']);
    const model = catalog.resolve('my-gpt');
    expect(model?.id).toBe('gpt-4o');
    expect(model?.aliases).toEqual(['gpt-4o-latest', 'my-gpt']);
    expect(model?.ownedBy).toBe('me');
    expect(model?.offers.map((offer) => offer.key)).toEqual(['openai/gpt-4o-2024-08-06', 'local/x']);
  });

  it('adds new models with permissive defaults for everything undeclared', () => {
    const catalog = build([{ id: 'qwen3-32b', aliases: ['qwen'], offers: [{ provider: 'local', upstream_model: 'Qwen/Qwen3-32B', price: { input: 0, output: 0 } }] }]);
    const [offer] = offersOf(catalog, 'qwen');
    expect(offer).toMatchObject({
      modelId: 'qwen3-32b',
      providerType: 'vllm',
      capabilities: PERMISSIVE,
      supportedParameters: undefined,
      contextWindow: undefined,
      maxOutputTokens: undefined,
      dataPolicy: undefined,
      expect: { ttftMs: undefined, tps: undefined },
      tier: 'standard',
      source: 'config',
      byokOnly: false,
    });
    expect(catalog.resolve('qwen3-32b')?.ownedBy).toBe('local');
  });

  it('works with no built-in catalog', () => {
    const catalog = build([{ id: 'gpt-4o', offers: [{ provider: 'openai', upstream_model: 'gpt-4o', price: { input: 2, output: 8 } }] }], { builtin: [] });
    expect(catalog.all().map((model) => model.id)).toEqual(['gpt-4o']);
    expect(offersOf(catalog, 'gpt-4o')[0]).toMatchObject({ source: 'config', capabilities: PERMISSIVE, contextWindow: undefined });
  });

  it('never lets an alias shadow another model id', () => {
    const catalog = build([{ id: 'my-llama', aliases: ['gpt-4o', 'llama-fast'], offers: [{ provider: 'local', upstream_model: 'x', price: { input: 0, output: 0 } }] }]);
    expect(catalog.resolve('gpt-4o')?.id).toBe('gpt-4o');
    expect(catalog.resolve('my-llama')?.aliases).toEqual(['llama-fast']);
  });
});

describe('ModelCatalog.resolve', () => {
  const catalog = build([{ id: 'Mixed-Case', offers: [] }]);

  it.each<[string, string | undefined]>([
    ['gpt-4o', 'gpt-4o'],
    ['GPT-4O', 'gpt-4o'],
    ['gpt-4o-latest', 'gpt-4o'],
    ['GPT-4o-Latest', 'gpt-4o'],
    ['llama-3.3-70b', 'llama-3.3-70b-instruct'],
    ['Mixed-Case', 'Mixed-Case'],
    ['mixed-case', 'Mixed-Case'],
    ['gpt-4', undefined],
    ['', undefined],
    ['gpt-4o ', undefined],
  ])('%j → %s', (name, id) => {
    expect(catalog.resolve(name)?.id).toBe(id);
  });

  it('prefers an exact match over a case-insensitive one', () => {
    const both = build([
      { id: 'model-a', offers: [] },
      { id: 'MODEL-A', offers: [] },
    ]);
    expect(both.resolve('MODEL-A')?.id).toBe('MODEL-A');
    expect(both.resolve('model-a')?.id).toBe('model-a');
    expect(both.resolve('Model-A')?.id).toBe('model-a');
  });
});
