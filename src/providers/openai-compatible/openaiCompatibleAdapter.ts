import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { createOpenAIProtocolAdapter } from '../openai/createOpenAIProtocolAdapter.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';

/** Any host speaking OpenAI chat completions: the widest-supported spellings, OpenAI-only fields dropped. */
export const OPENAI_COMPATIBLE_PROFILE: OpenAIProtocolProfile = {
  type: 'openai-compatible',
  chatPath: '/chat/completions',
  // Older and third-party servers know `max_tokens`; fewer know `max_completion_tokens`.
  maxTokensField: 'max_tokens',
  unsupportedParameters: new Set(['web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_retention', 'prompt_cache_key']),
  // reasoning_content is kept: DeepSeek-style hosts need it back on tool-call turns.
  foreignMessageFields: ['thinking_blocks', 'reasoning_details', 'cache_control'],
  foreignPartFields: ['cache_control'],
  foreignToolCallFields: ['extra_content'],
  extensionNames: [],
  reasoningFields: new Set(['reasoning_effort', 'reasoning']),
  // Local servers and proxies (llama.cpp, Ollama, SGLang...) often pass R1/Qwen3 output through with its <think> tags.
  inlineReasoningTags: true,
};

/** An adapter for one host profile (see compatProfiles.ts); the generic profile by default. */
export function createOpenAICompatibleAdapter(effects: AdapterEffects, profile: OpenAIProtocolProfile = OPENAI_COMPATIBLE_PROFILE): ProviderAdapter {
  return createOpenAIProtocolAdapter(profile, effects);
}
