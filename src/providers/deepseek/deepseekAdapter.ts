import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { createOpenAIProtocolAdapter } from '../openai/createOpenAIProtocolAdapter.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { DEEPSEEK_MODEL_TABLE } from './deepseekModelTable.js';
import { translateDeepSeekReasoning } from './translateDeepSeekReasoning.js';

/** DeepSeek's first-party API (providers.md §5): OpenAI-shaped, with its own thinking switch and multi-turn rules. */
export const DEEPSEEK_PROFILE: OpenAIProtocolProfile = {
  type: 'deepseek',
  chatPath: '/chat/completions',
  maxTokensField: 'max_tokens',
  unsupportedParameters: new Set(['seed', 'top_k', 'min_p', 'top_a', 'repetition_penalty', 'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention']),
  // reasoning_content is kept: thinking-mode tool loops must send it back.
  foreignMessageFields: ['thinking_blocks', 'reasoning_details', 'cache_control'],
  foreignPartFields: ['cache_control'],
  foreignToolCallFields: ['extra_content'],
  extensionNames: ['deepseek'],
  reasoningFields: new Set(['thinking', 'reasoning_effort']),
  models: DEEPSEEK_MODEL_TABLE,
  developerAsSystem: true,
  jsonSchemaAsInstruction: true,
  // Text-only models want string content.
  flattenTextContent: true,
  failingWhenEmpty: ['insufficient_system_resource'],
  translateReasoning: translateDeepSeekReasoning,
};

export function createDeepSeekAdapter(effects: AdapterEffects): ProviderAdapter {
  return createOpenAIProtocolAdapter(DEEPSEEK_PROFILE, effects);
}
