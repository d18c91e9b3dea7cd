import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { AnthropicStreamDecoder } from './anthropicStreamDecoder.js';
import { buildAnthropicRequest } from './buildAnthropicRequest.js';
import { parseAnthropicError } from './parseAnthropicError.js';
import { parseAnthropicResponse } from './parseAnthropicResponse.js';

/** Anthropic's Messages API (providers reference §3). */
export function createAnthropicAdapter(effects: AdapterEffects): ProviderAdapter {
  return {
    type: 'anthropic',
    buildRequest: buildAnthropicRequest,
    parseResponse: (body, request) => parseAnthropicResponse(body, request, effects),
    createStreamDecoder: (request) => new AnthropicStreamDecoder(request, effects),
    parseError: parseAnthropicError,
  };
}
