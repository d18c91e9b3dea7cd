import type { CompatProfileName } from '../../config/configSchema.js';
import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { FIREWORKS_PROFILE } from './fireworksProfile.js';
import { GROQ_PROFILE } from './groqProfile.js';
import { MISTRAL_PROFILE } from './mistralProfile.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';
import { TOGETHER_PROFILE } from './togetherProfile.js';
import { XAI_PROFILE } from './xaiProfile.js';

/** Every host profile of the `openai-compatible` type, by its `compat_profile` name. */
export const COMPAT_PROFILES_BY_NAME: Readonly<Record<CompatProfileName, OpenAIProtocolProfile>> = {
  xai: XAI_PROFILE,
  mistral: MISTRAL_PROFILE,
  groq: GROQ_PROFILE,
  together: TOGETHER_PROFILE,
  fireworks: FIREWORKS_PROFILE,
  generic: OPENAI_COMPATIBLE_PROFILE,
};
