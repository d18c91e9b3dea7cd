import type { CompatProfileName, ProviderType } from '../config/configSchema.js';
import type { ProviderAdapter } from './adapter.js';
import { defaultAdapterEffects, type AdapterEffects } from './adapterEffects.js';
import { createAnthropicAdapter } from './anthropic/anthropicAdapter.js';
import { createDeepSeekAdapter } from './deepseek/deepseekAdapter.js';
import { createGeminiAdapter } from './gemini/geminiAdapter.js';
import { COMPAT_PROFILES_BY_NAME } from './openai-compatible/compatProfiles.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/openaiCompatibleAdapter.js';
import { selectCompatProfile } from './openai-compatible/selectCompatProfile.js';
import { createOpenAIAdapter } from './openai/openaiAdapter.js';
import { createVllmAdapter } from './vllm/vllmAdapter.js';

/** What picks a provider's adapter: its type, and for `openai-compatible` the host profile (configured or by host). */
export interface AdapterSelector {
  type: ProviderType;
  baseUrl: string;
  compatProfile?: CompatProfileName | undefined;
}

/** The one list of adapters: provider type → translator. */
const FACTORIES: Partial<Record<ProviderType, (effects: AdapterEffects) => ProviderAdapter>> = {
  openai: createOpenAIAdapter,
  'openai-compatible': createOpenAICompatibleAdapter,
  anthropic: createAnthropicAdapter,
  gemini: createGeminiAdapter,
  deepseek: createDeepSeekAdapter,
  vllm: createVllmAdapter,
};

/** Types whose translator also depends on the host: one adapter per host profile, keyed `<type>:<profile>`. */
const HOST_PROFILES: Partial<Record<ProviderType, (effects: AdapterEffects, provider: AdapterSelector) => { profile: string; create: () => ProviderAdapter }>> = {
  'openai-compatible': (effects, provider) => {
    const profile = selectCompatProfile(provider.baseUrl, provider.compatProfile);
    return { profile, create: () => createOpenAICompatibleAdapter(effects, COMPAT_PROFILES_BY_NAME[profile]) };
  },
};

export interface AdapterRegistry {
  /** The adapter serving a configured provider; undefined when its type has none in this version. */
  forProvider(provider: AdapterSelector): ProviderAdapter | undefined;
}

/** Adapters are pure and shared: one per type (per host profile), made on first use. */
export function createAdapterRegistry(effects: AdapterEffects = defaultAdapterEffects): AdapterRegistry {
  const adapters = new Map<string, ProviderAdapter>();
  return {
    forProvider(provider) {
      const factory = FACTORIES[provider.type];
      if (factory === undefined) return undefined;
      const hosted = HOST_PROFILES[provider.type]?.(effects, provider);
      const key = hosted === undefined ? provider.type : `${provider.type}:${hosted.profile}`;
      let adapter = adapters.get(key);
      if (adapter === undefined) {
        adapter = hosted === undefined ? factory(effects) : hosted.create();
        adapters.set(key, adapter);
      }
      return adapter;
    },
  };
}

export function supportedProviderTypes(): ProviderType[] {
  return Object.keys(FACTORIES) as ProviderType[];
}
