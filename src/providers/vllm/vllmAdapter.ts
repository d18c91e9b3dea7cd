import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { createOpenAIProtocolAdapter } from '../openai/createOpenAIProtocolAdapter.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';

/**
 * vLLM's OpenAI-compatible server (providers.md §6). It ignores unknown fields silently, so whatever it would
 * ignore is dropped here with a warning instead; its sampling extras pass through.
 */
export const VLLM_PROFILE: OpenAIProtocolProfile = {
  type: 'vllm',
  chatPath: '/chat/completions',
  maxTokensField: 'max_completion_tokens',
  // top_a is an OpenRouter/Aphrodite sampler; the rest are OpenAI-only.
  unsupportedParameters: new Set(['top_a', 'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention']),
  // reasoning_content is kept: vLLM's validator takes it as the message's reasoning.
  foreignMessageFields: ['thinking_blocks', 'reasoning_details', 'cache_control'],
  foreignPartFields: ['cache_control'],
  foreignToolCallFields: ['extra_content'],
  extensionNames: [],
  reasoningFields: new Set(['reasoning_effort']),
  // vLLM's default tool_choice has been "none" (even with tools) in some versions.
  sendAutoToolChoice: true,
  // Without `--reasoning-parser` vLLM returns R1/Qwen3 reasoning raw, <think> tags inside the content.
  inlineReasoningTags: true,
};

export function createVllmAdapter(effects: AdapterEffects): ProviderAdapter {
  return createOpenAIProtocolAdapter(VLLM_PROFILE, effects);
}
