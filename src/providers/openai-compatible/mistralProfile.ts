import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';
import { toMistralToolCallIds } from './toMistralToolCallIds.js';

/**
 * Mistral (api.mistral.ai) rejects every field it does not know with a 422 (`extra_forbidden`), stream_options
 * included; it spells `seed` and `tool_choice: "required"` its own way and wants 9-character tool-call ids.
 */
export const MISTRAL_PROFILE: OpenAIProtocolProfile = {
  ...OPENAI_COMPATIBLE_PROFILE,
  maxTokensField: 'max_tokens',
  unsupportedParameters: new Set([
    'top_k', 'min_p', 'top_a', 'repetition_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user',
    'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention',
  ]),
  // Echoed output fields, removed without a warning; other unknown message fields are removed with one.
  foreignMessageFields: ['reasoning_content', 'reasoning', 'thinking_blocks', 'reasoning_details', 'cache_control', 'refusal', 'annotations', 'audio', 'function_call'],
  messageFields: {
    system: ['content'],
    user: ['content'],
    assistant: ['content', 'tool_calls', 'prefix'],
    tool: ['content', 'tool_call_id', 'name'],
  },
  parameterNames: { seed: 'random_seed' },
  requiredToolChoice: 'any',
  developerAsSystem: true,
  rejectsStreamOptions: true,
  // Magistral answers with content chunks, thinking among them.
  contentChunks: true,
  models: [
    { match: /^magistral/, rules: { reasoningEfforts: [] } },
    // Medium 3.5 and Small 4 switch reasoning with none|high (catalog/builtin.yaml).
    { match: /^mistral-(medium-(2604|3\.5|latest)|small-(4|2603|latest))/, rules: { reasoningEfforts: ['none', 'high'] } },
    { match: /./, rules: { reasoningEfforts: [] } },
  ],
  finishRequest: (draft) => {
    draft.messages = toMistralToolCallIds(draft.messages);
  },
};
