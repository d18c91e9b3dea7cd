import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';

/** Fireworks (api.fireworks.ai): the generic profile; model ids (`accounts/fireworks/models/...`) are sent as configured. */
export const FIREWORKS_PROFILE: OpenAIProtocolProfile = {
  ...OPENAI_COMPATIBLE_PROFILE,
  // Fireworks has top_k, min_p and repetition_penalty, but no top_a.
  unsupportedParameters: new Set([...OPENAI_COMPATIBLE_PROFILE.unsupportedParameters, 'top_a']),
};
