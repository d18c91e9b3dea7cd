import type { ProviderAdapter } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { buildGeminiRequest } from './buildGeminiRequest.js';
import { GeminiStreamDecoder } from './geminiStreamDecoder.js';
import { parseGeminiError } from './parseGeminiError.js';
import { parseGeminiResponse } from './parseGeminiResponse.js';

/** Google's Generative Language API (`generateContent` / `streamGenerateContent`), provider type `gemini`. */
export function createGeminiAdapter(effects: AdapterEffects): ProviderAdapter {
  return {
    type: 'gemini',
    buildRequest: buildGeminiRequest,
    parseResponse: (body) => parseGeminiResponse(body, effects),
    createStreamDecoder: () => new GeminiStreamDecoder(effects),
    parseError: parseGeminiError,
  };
}
