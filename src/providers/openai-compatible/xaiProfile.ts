import type { ParameterName } from '../../core/chatRequest.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';

// xAI's reasoning models 400 on these (providers.md §7, §13.17).
const REJECTED_WHILE_REASONING: readonly ParameterName[] = ['presence_penalty', 'frequency_penalty', 'stop'];

/** xAI (api.x.ai): reasoning is chosen per model, `prompt_cache_key` travels as the `x-grok-conv-id` header. */
export const XAI_PROFILE: OpenAIProtocolProfile = {
  ...OPENAI_COMPATIBLE_PROFILE,
  maxTokensField: 'max_completion_tokens',
  unsupportedParameters: new Set(['top_k', 'min_p', 'top_a', 'repetition_penalty', 'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_retention']),
  // First match wins; seed data of providers.md §7 and §8.3 (re-verify per §12).
  models: [
    { match: /non-reasoning/, rules: { reasoningEfforts: [] } },
    { match: /^grok-3-mini/, rules: { reasoningEfforts: ['low', 'high'], rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
    // Models that reason by variant (`-reasoning`), and the older reasoning models, 400 on reasoning_effort.
    { match: /-reasoning$/, rules: { reasoningEfforts: [], rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
    { match: /^grok-4\.5/, rules: { reasoningEfforts: ['low', 'medium', 'high'], rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
    // grok-4.3 and later take an effort; grok-4.20 is an earlier release, despite the digits.
    { match: /^grok-(4\.[3-9]|[5-9])(\.\d+)?(-|$)/, rules: { reasoningEfforts: ['none', 'low', 'medium', 'high'], rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
    { match: /^grok-(4|code)/, rules: { reasoningEfforts: [], rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
    { match: /^grok-/, rules: { reasoningEfforts: [] } },
  ],
  finishRequest: ({ body, headers }) => {
    // Chat Completions on xAI routes cache affinity by header; the body field works only on its Responses API.
    if (typeof body.prompt_cache_key === 'string') {
      headers['x-grok-conv-id'] = body.prompt_cache_key;
      delete body.prompt_cache_key;
    }
  },
};
