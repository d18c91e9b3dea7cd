import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { catalogFileSchema } from './configSchema.js';

const CATALOG_PATH = fileURLToPath(new URL('../../catalog/builtin.yaml', import.meta.url));

/** The provider ids the built-in catalog's offers are written for (see catalog/README.md). */
const PROVIDER_IDS = [
  'openai', 'anthropic', 'google_ai_studio', 'deepseek', 'xai', 'mistral', 'groq', 'together_ai', 'fireworks',
];

/** Models the catalog must always know (those still served on the `checked` date). */
const REQUIRED_MODELS = [
  'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3', 'gpt-5.6-luna',
  'claude-opus-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-5', 'claude-sonnet-5-5',
  'gemini-2.5-flash-lite', 'gemini-3.1-pro-preview', 'gemini-3.5-flash',
  'deepseek-chat', 'deepseek-reasoner', 'deepseek-v4-flash', 'deepseek-v4-pro',
  'grok-3-mini', 'grok-4.3',
  'mistral-large', 'mistral-medium', 'mistral-small',
  'llama-3.3-70b-instruct', 'llama-3.1-8b-instruct', 'gpt-oss-120b', 'gpt-oss-20b',
];

/** Models their providers had shut down on the `checked` date: kept out so callers get a clear 404, not an upstream failure. */
const RETIRED_MODELS = [
  'gpt-4.1-nano', 'o4-mini', 'claude-opus-4-1', 'claude-sonnet-4', 'claude-3-5-haiku', 'gemini-2.5-pro', 'gemini-2.5-flash',
  'gemini-3-pro-preview', 'grok-4', 'grok-4-fast-reasoning', 'grok-4-fast-non-reasoning',
];

/** Open-weight models whose point is several hosts competing on price. */
const MULTI_HOST_MODELS: Record<string, string[]> = {
  'llama-3.3-70b-instruct': ['together_ai', 'fireworks'],
  'llama-3.1-8b-instruct': ['together_ai', 'fireworks'],
  'gpt-oss-120b': ['groq', 'together_ai', 'fireworks'],
  'gpt-oss-20b': ['groq', 'together_ai', 'fireworks'],
};

function loadCatalog() {
  const raw: unknown = parse(readFileSync(CATALOG_PATH, 'utf8'), { uniqueKeys: true });
  const result = catalogFileSchema.safeParse(raw);
  if (!result.success) throw new Error(`catalog/builtin.yaml does not validate:\n${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}

describe('built-in catalog (catalog/builtin.yaml)', () => {
  it('validates against catalogFileSchema and records when prices were checked', () => {
    const raw: unknown = parse(readFileSync(CATALOG_PATH, 'utf8'), { uniqueKeys: true });
    const result = catalogFileSchema.safeParse(raw);
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues, null, 2)).toBe(true);
    expect(result.data?.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.data?.models.length).toBeGreaterThan(0);
  });

  it('uses every model id and alias once across the whole file', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const model of loadCatalog().models) {
      for (const name of [model.id, ...(model.aliases ?? [])]) {
        const owner = seen.get(name);
        if (owner !== undefined) clashes.push(`'${name}' (in ${model.id}) is already used by ${owner}`);
        else seen.set(name, model.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('gives every model at least one offer, and every offer a known provider id', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      if (model.offers.length === 0) problems.push(`${model.id}: no offers`);
      for (const offer of model.offers) {
        if (!PROVIDER_IDS.includes(offer.provider)) problems.push(`${model.id}: unknown provider '${offer.provider}'`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists each provider at most once per model', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      const providers = model.offers.map((offer) => offer.provider);
      if (new Set(providers).size !== providers.length) problems.push(`${model.id}: ${providers.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('never prices a cache read above the input price', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      for (const { provider, price } of model.offers) {
        if (price.cache_read !== undefined && price.cache_read > price.input) {
          problems.push(`${model.id}@${provider}: cache_read ${price.cache_read} > input ${price.input}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('prices Anthropic 5-minute cache writes at 1.25x input and reads at or below 0.1x', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      for (const { provider, price } of model.offers) {
        if (provider !== 'anthropic') continue;
        if (price.cache_write === undefined || Math.abs(price.cache_write - price.input * 1.25) > 1e-9) {
          problems.push(`${model.id}: cache_write ${price.cache_write} for input ${price.input}`);
        }
        if (price.cache_read === undefined || price.cache_read > price.input * 0.1 + 1e-9) {
          problems.push(`${model.id}: cache_read ${price.cache_read} for input ${price.input}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('does not list temperature for models that always reason', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      for (const offer of model.offers) {
        if (offer.capabilities?.reasoning === 'always' && offer.supported_parameters?.includes('temperature')) {
          problems.push(`${model.id}@${offer.provider}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares capabilities and supported parameters on every offer, and reasoning_effort only where it can reason', () => {
    const problems: string[] = [];
    for (const model of loadCatalog().models) {
      for (const offer of model.offers) {
        const where = `${model.id}@${offer.provider}`;
        if (offer.capabilities?.reasoning === undefined) problems.push(`${where}: no capabilities.reasoning`);
        if (offer.supported_parameters === undefined) problems.push(`${where}: no supported_parameters`);
        if (offer.capabilities?.reasoning === 'none' && offer.supported_parameters?.includes('reasoning_effort')) {
          problems.push(`${where}: reasoning none but takes reasoning_effort`);
        }
        if (offer.capabilities?.tools === false && offer.supported_parameters?.includes('tools')) {
          problems.push(`${where}: no tools but takes tools`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('contains the well-known models', () => {
    const ids = new Set(loadCatalog().models.map((model) => model.id));
    expect(REQUIRED_MODELS.filter((id) => !ids.has(id))).toEqual([]);
    expect(RETIRED_MODELS.filter((id) => ids.has(id))).toEqual([]);
  });

  it('offers the open-weight models on several hosts', () => {
    const byId = new Map(loadCatalog().models.map((model) => [model.id, model]));
    for (const [id, hosts] of Object.entries(MULTI_HOST_MODELS)) {
      const providers = byId.get(id)?.offers.map((offer) => offer.provider) ?? [];
      expect(providers, id).toEqual(expect.arrayContaining(hosts));
    }
  });

  it('resolves the dated and vendor-prefixed names operators use', () => {
    const names = new Map<string, string>();
    for (const model of loadCatalog().models) {
      for (const name of [model.id, ...(model.aliases ?? [])]) names.set(name, model.id);
    }
    expect(names.get('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(names.get('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(names.get('openai/gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(names.get('anthropic/claude-sonnet-4.5')).toBe('claude-sonnet-4-5');
  });
});
