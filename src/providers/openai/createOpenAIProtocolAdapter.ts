import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { buildOpenAIRequest } from './buildOpenAIRequest.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';
import { OpenAIStreamDecoder } from './openaiStreamDecoder.js';
import { parseOpenAIError } from './parseOpenAIError.js';
import { parseOpenAIResponse } from './parseOpenAIResponse.js';

/** The OpenAI chat-completions protocol, specialised by a profile (OpenAI itself, or a compatible host). */
export function createOpenAIProtocolAdapter(profile: OpenAIProtocolProfile, effects: AdapterEffects): ProviderAdapter {
  const createToolId = () => effects.newId('call_');
  return {
    type: profile.type,
    buildRequest: (request, target) => buildOpenAIRequest(request, target, profile),
    parseResponse: (body) => parseOpenAIResponse(body, createToolId, effects.now),
    createStreamDecoder: () => new OpenAIStreamDecoder(effects),
    parseError: parseOpenAIError,
  };
}
