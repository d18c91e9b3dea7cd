import type { Usage } from '../core/usage.js';
import type { OfferPrice } from './offerPrice.js';

export interface Cost {
  /** What the request cost, in micro-USD. */
  micros: number;
  /** What cache reads saved against the full input price, in micro-USD (0 when none). */
  savingsMicros: number;
}

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * Cost of one response: uncached prompt tokens at the input price, cache reads at the cache-read price,
 * cache writes at the cache-write price, completion (reasoning included) at the output price.
 * Sums are exact integers (tokens × micro-USD per 1M) and rounded once at the end.
 */
export function computeCost(usage: Usage, price: OfferPrice): Cost {
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const written = Math.min(usage.cacheWriteTokens, usage.promptTokens - cached);
  const uncached = usage.promptTokens - cached - written;
  const scaled = uncached * price.input + cached * price.cacheRead + written * price.cacheWrite + usage.completionTokens * price.output;
  const savingsScaled = cached * Math.max(0, price.input - price.cacheRead);
  return {
    micros: Math.round(scaled / TOKENS_PER_PRICE_UNIT),
    savingsMicros: Math.round(savingsScaled / TOKENS_PER_PRICE_UNIT),
  };
}
