import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { normalizeTogetherLogprobs } from './normalizeTogetherLogprobs.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';

/** Together (api.together.xyz): `logprobs` is the number of top tokens, not a boolean, and comes back in its own shape. */
export const TOGETHER_PROFILE: OpenAIProtocolProfile = {
  ...OPENAI_COMPATIBLE_PROFILE,
  unsupportedParameters: new Set([...OPENAI_COMPATIBLE_PROFILE.unsupportedParameters, 'top_a']),
  finishRequest: ({ body }) => {
    if (body.logprobs === undefined) return;
    // OpenAI's logprobs:true + top_logprobs:k is Together's logprobs:k (at least 1 for the chosen token's own).
    const count = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
    delete body.top_logprobs;
    if (body.logprobs === true) body.logprobs = Math.max(1, count);
    else delete body.logprobs;
  },
  normalizeLogprobs: normalizeTogetherLogprobs,
  // Depending on the model, Together sends reasoning in `reasoning` or inline in <think> tags (providers.md §7).
  inlineReasoningTags: true,
};
