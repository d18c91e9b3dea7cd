import type { ChatRequest } from '../core/chatRequest.js';
import type { Offer } from '../routing/offer.js';

/** Output assumed for an offer that declares no ceiling and a request that sets no limit. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/**
 * The most a request can cost on any of the offers it may be tried on (micro-USD, rounded up): the budget
 * reservation. Prompt tokens at the full input price, the output ceiling at the output price.
 */
export function maxRequestCost(request: ChatRequest, offers: readonly Offer[], promptTokens: number): number {
  let max = 0;
  for (const offer of offers) {
    const output = request.params.max_completion_tokens ?? offer.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const scaled = promptTokens * Math.max(offer.price.input, offer.price.cacheWrite) + output * offer.price.output;
    max = Math.max(max, Math.ceil(scaled / 1_000_000));
  }
  return max;
}
