import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { createOpenAIProtocolAdapter } from './createOpenAIProtocolAdapter.js';
import { OPENAI_MODEL_TABLE } from './openaiModelTable.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';

export const OPENAI_PROFILE: OpenAIProtocolProfile = {
  type: 'openai',
  chatPath: '/chat/completions',
  maxTokensField: 'max_completion_tokens',
  // Sampling knobs of open-weight servers that OpenAI's API rejects.
  unsupportedParameters: new Set(['top_k', 'min_p', 'top_a', 'repetition_penalty']),
  foreignMessageFields: ['reasoning_content', 'reasoning', 'thinking_blocks', 'reasoning_details', 'cache_control'],
  foreignPartFields: ['cache_control'],
  foreignToolCallFields: ['extra_content'],
  extensionNames: ['openai'],
  reasoningFields: new Set(['reasoning_effort', 'reasoning']),
  models: OPENAI_MODEL_TABLE,
};

export function createOpenAIAdapter(effects: AdapterEffects): ProviderAdapter {
  return createOpenAIProtocolAdapter(OPENAI_PROFILE, effects);
}
