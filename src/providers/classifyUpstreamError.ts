import { GatewayError } from '../core/gatewayError.js';

/** What an adapter read from a provider's error response, in neutral terms. */
export interface UpstreamErrorFacts {
  status: number;
  /** The provider's own message (not shown for credential errors, which may echo part of a key). */
  message: string;
  kind?: 'context_length' | 'quota' | 'content_filter' | undefined;
  retryAfterSeconds?: number | undefined;
  /** The provider's explicit retry advice (`x-should-retry`), when given. */
  shouldRetry?: boolean | undefined;
}

/**
 * Maps an upstream failure to the contract's codes (§8): retryable means the request may succeed later;
 * fallback means another provider may serve it now.
 */
export function classifyUpstreamError(facts: UpstreamErrorFacts): GatewayError {
  const { status } = facts;
  const detail = facts.message === '' ? '' : `: ${facts.message}`;
  const withAdvice = (retryable: boolean) => (facts.shouldRetry === undefined ? retryable : facts.shouldRetry);

  if (facts.kind === 'context_length') {
    return new GatewayError(400, 'context_length_exceeded', `The prompt exceeds the model's context window${detail}`, {
      retryable: false, fallback: false, nextModel: true,
    });
  }
  if (facts.kind === 'content_filter') {
    return new GatewayError(400, 'content_filtered', `The provider's content filter refused the request${detail}`, { retryable: false });
  }
  if (facts.kind === 'quota' || status === 402) {
    return new GatewayError(502, 'upstream_error', `The provider account has exhausted its quota or credit${detail}`, {
      retryable: false, fallback: true,
    });
  }
  if (status === 401 || status === 403) {
    return new GatewayError(502, 'upstream_error', `The provider refused the gateway's credentials (HTTP ${status})`, {
      retryable: false, fallback: true,
    });
  }
  if (status === 404) {
    return new GatewayError(502, 'upstream_error', `The provider does not know this model or endpoint (HTTP 404)${detail}`, {
      retryable: false, fallback: true,
    });
  }
  if (status === 408 || status === 504) {
    return new GatewayError(504, 'upstream_timeout', `The provider timed out (HTTP ${status})${detail}`, { retryable: withAdvice(true), fallback: true });
  }
  if (status === 413) {
    return new GatewayError(413, 'payload_too_large', `The provider refused the request as too large${detail}`, { retryable: false });
  }
  if (status === 429) {
    return new GatewayError(429, 'rate_limit_exceeded', `The provider is rate limiting requests${detail}`, {
      retryable: withAdvice(true), fallback: true, retryAfterSeconds: facts.retryAfterSeconds, rateLimitSource: 'provider',
    });
  }
  if (status === 503 || status === 529) {
    return new GatewayError(503, 'model_unavailable', `The provider is overloaded or unavailable (HTTP ${status})${detail}`, {
      retryable: withAdvice(true), fallback: true, retryAfterSeconds: facts.retryAfterSeconds,
    });
  }
  if (status === 409 || status >= 500) {
    return new GatewayError(502, 'upstream_error', `The provider failed (HTTP ${status})${detail}`, {
      retryable: withAdvice(true), fallback: true, retryAfterSeconds: facts.retryAfterSeconds,
    });
  }
  if (status === 422) {
    return new GatewayError(422, 'invalid_request', `The provider rejected the request${detail}`, { retryable: false });
  }
  if (status >= 400) {
    return new GatewayError(400, 'invalid_request', `The provider rejected the request${detail}`, { retryable: false });
  }
  return new GatewayError(502, 'upstream_error', `The provider answered with unexpected HTTP ${status}${detail}`, { retryable: true });
}

/** An upstream that answered 200 with something that is not its protocol. */
export function malformedUpstream(what: string): GatewayError {
  return new GatewayError(502, 'upstream_error', `The provider sent a malformed response: ${what}`, { retryable: true });
}
