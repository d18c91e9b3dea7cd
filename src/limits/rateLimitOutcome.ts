import type { AuthenticatedKey } from '../auth/authenticatedKey.js';
import { GatewayError } from '../core/gatewayError.js';
import { formatResetDuration, retryAfterSeconds } from './limitHeaders.js';

/** Length of the requests-per-minute and tokens-per-minute windows. */
export const LIMIT_WINDOW_MS = 60_000;
/** Retry-After for a refused concurrent request: nothing says when a slot frees, so ask for a short wait. */
export const CONCURRENCY_RETRY_MS = 1_000;

export type RateLimitCode = 'rate_limit_exceeded' | 'tokens_per_min_exceeded' | 'concurrent_requests_exceeded';

/** Where a key stands against one windowed limit after an admit decision. */
export interface WindowState {
  remaining: number;
  /** ms until `remaining` grows again (requests: the oldest counted request leaves the window; tokens: the bucket is empty). */
  resetMs: number;
}

/** The result of checking one key's limits; the same shape from the in-memory and the Redis limiter. */
export interface RateLimitOutcome {
  admitted: boolean;
  /** The first limit that refused (requests, then tokens, then concurrency); undefined when admitted. */
  code: RateLimitCode | undefined;
  /** ms until every refusing limit would admit this request. */
  retryAfterMs: number;
  requests: WindowState | undefined;
  tokens: WindowState | undefined;
}

export function hasRateLimits(key: AuthenticatedKey): boolean {
  return key.rateLimitRpm !== null || key.tokensPerMinute !== null || key.maxConcurrent !== null;
}

/** `X-RateLimit-*` headers (OpenAI's names; contract §5.4) for a key with limits. */
export function rateLimitHeaders(key: AuthenticatedKey, outcome: RateLimitOutcome): Record<string, string> {
  const headers: Record<string, string> = { 'x-rate-limit-source': 'gateway' };
  if (key.rateLimitRpm !== null && outcome.requests !== undefined) {
    headers['x-ratelimit-limit-requests'] = String(key.rateLimitRpm);
    headers['x-ratelimit-remaining-requests'] = String(Math.max(0, outcome.requests.remaining));
    headers['x-ratelimit-reset-requests'] = formatResetDuration(outcome.requests.resetMs);
  }
  if (key.tokensPerMinute !== null && outcome.tokens !== undefined) {
    headers['x-ratelimit-limit-tokens'] = String(key.tokensPerMinute);
    headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, Math.floor(outcome.tokens.remaining)));
    headers['x-ratelimit-reset-tokens'] = formatResetDuration(outcome.tokens.resetMs);
  }
  return headers;
}

const MESSAGES: Record<RateLimitCode, (key: AuthenticatedKey) => string> = {
  rate_limit_exceeded: (key) => `Rate limit reached: this API key may send ${key.rateLimitRpm} requests per minute.`,
  tokens_per_min_exceeded: (key) => `Token rate limit reached: this API key may use ${key.tokensPerMinute} tokens per minute.`,
  concurrent_requests_exceeded: (key) => `Too many concurrent requests: this API key may have ${key.maxConcurrent} requests in flight at once.`,
};

/** The 429 for a refused admission (retryable: waiting `Retry-After` is enough). */
export function rateLimitError(key: AuthenticatedKey, outcome: RateLimitOutcome): GatewayError {
  const code = outcome.code ?? 'rate_limit_exceeded';
  return new GatewayError(429, code, MESSAGES[code](key), {
    retryable: true,
    fallback: false,
    retryAfterSeconds: retryAfterSeconds(outcome.retryAfterMs),
    rateLimitSource: 'gateway',
    headers: rateLimitHeaders(key, outcome),
  });
}
