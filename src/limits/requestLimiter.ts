import type { AuthenticatedKey } from '../auth/authenticatedKey.js';

/** A request let through the key's limits; release it when the request is over. */
export interface Admission {
  /** `X-RateLimit-*` headers to send with the response. */
  headers: Record<string, string>;
  /** Ends the request: frees its concurrency slot and counts the tokens it really used. */
  release(usedTokens: number): void;
}

/** Per-key rate limits (requests/min, tokens/min, concurrency); throws a 429 GatewayError when one is exceeded. */
export interface RequestLimiter {
  admit(key: AuthenticatedKey, estimatedTokens: number, now: number): Admission | Promise<Admission>;
}
