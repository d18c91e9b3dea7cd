import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { buildOpenAIRequest } from './buildOpenAIRequest.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';
import { OpenAIStreamDecoder } from './openaiStreamDecoder.js';
import { parseOpenAIError } from './parseOpenAIError.js';
import { parseOpenAIResponse } from './parseOpenAIResponse.js';

/** The OpenAI chat-completions protocol, specialised by a profile (OpenAI itself, or a compatible host). */
export function createOpenAIProtocolAdapter(profile: OpenAIProtocolProfile, effects: AdapterEffects): ProviderAdapter {
  return {
    type: profile.type,
    buildRequest: (request, target) => buildOpenAIRequest(request, target, profile),
    parseResponse: (body) => parseOpenAIResponse(body, effects, profile),
    createStreamDecoder: () => new OpenAIStreamDecoder(effects, profile),
    parseError: parseOpenAIError,
  };
}
