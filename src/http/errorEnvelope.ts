import type { GatewayError } from '../core/gatewayError.js';

export interface ErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: string;
    param: string | null;
    provider?: string;
    suggestion?: string;
  };
}

/** The contract's one flat error object (§8); the only place errors become wire bodies. */
export function renderErrorEnvelope(error: GatewayError): ErrorEnvelope {
  const body: ErrorEnvelope['error'] = { message: error.message, type: error.type, code: error.code, param: error.param };
  if (error.provider !== undefined) body.provider = error.provider;
  if (error.suggestion !== undefined) body.suggestion = error.suggestion;
  return { error: body };
}

/** Headers every error response carries (§5.4). */
export function errorHeaders(error: GatewayError): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-error-type': error.type,
    'x-error-retryable': error.retryable ? 'true' : 'false',
    // The OpenAI SDKs obey this; it keeps them from re-sending requests that cannot succeed.
    'x-should-retry': error.retryable ? 'true' : 'false',
  };
  if (error.provider !== undefined) headers['x-error-provider'] = error.provider;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
  else if (error.status === 429 || error.status === 503) headers['retry-after'] = '1';
  if (error.status === 429) headers['x-rate-limit-source'] = error.rateLimitSource ?? 'gateway';
  if (error.headers !== undefined) Object.assign(headers, error.headers);
  return headers;
}
