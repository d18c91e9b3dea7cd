import type { ProviderType } from '../config/configSchema.js';
import type { ProviderAdapter } from './adapter.js';
import { defaultAdapterEffects, type AdapterEffects } from './adapterEffects.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/openaiCompatibleAdapter.js';
import { createOpenAIAdapter } from './openai/openaiAdapter.js';
import { createGeminiAdapter } from './gemini/geminiAdapter.js';

/** The one list of adapters: provider type → translator. */
const FACTORIES: Partial<Record<ProviderType, (effects: AdapterEffects) => ProviderAdapter>> = {
  openai: createOpenAIAdapter,
  'openai-compatible': createOpenAICompatibleAdapter,
  gemini: createGeminiAdapter,
};

export type AdapterRegistry = ReadonlyMap<ProviderType, ProviderAdapter>;

export function createAdapterRegistry(effects: AdapterEffects = defaultAdapterEffects): AdapterRegistry {
  const registry = new Map<ProviderType, ProviderAdapter>();
  for (const [type, factory] of Object.entries(FACTORIES) as [ProviderType, (effects: AdapterEffects) => ProviderAdapter][]) {
    registry.set(type, factory(effects));
  }
  return registry;
}

export function supportedProviderTypes(): ProviderType[] {
  return Object.keys(FACTORIES) as ProviderType[];
}
