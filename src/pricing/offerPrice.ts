/** Prices of one offer in integer micro-USD per 1M tokens. */
export interface OfferPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface PriceInput {
  input: number;
  output: number;
  cache_read?: number | undefined;
  cache_write?: number | undefined;
}

/** USD per 1M tokens (config units) → integer micro-USD per 1M tokens; cache prices default to the input price. */
export function toOfferPrice(price: PriceInput): OfferPrice {
  const input = usdToMicros(price.input);
  return {
    input,
    output: usdToMicros(price.output),
    cacheRead: price.cache_read === undefined ? input : usdToMicros(price.cache_read),
    cacheWrite: price.cache_write === undefined ? input : usdToMicros(price.cache_write),
  };
}

export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}
