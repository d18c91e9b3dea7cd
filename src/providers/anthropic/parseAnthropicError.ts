import type { GatewayError } from '../../core/gatewayError.js';
import type { ResponseHeaders } from '../adapter.js';
import { classifyUpstreamError, type UpstreamErrorFacts } from '../classifyUpstreamError.js';
import { headerValue, parseRetryAfter } from '../parseRetryAfter.js';

interface AnthropicErrorFields {
  type: string;
  message: string;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  errorCode: string;
}

/** HTTP status Anthropic uses for each error type, for `error` events that arrive after the 200 (§3.8). */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** An Anthropic error response (`{"type":"error","error":{type,message},"request_id"}`, or a proxy's text) → GatewayError. */
export function parseAnthropicError(status: number, body: string, headers: ResponseHeaders): GatewayError {
  const fields = readErrorBody(body);
  const shouldRetry = headerValue(headers, 'x-should-retry');
  return classifyUpstreamError({
    status,
    message: fields.message,
    kind: classifyKind(status, fields),
    retryAfterSeconds: parseRetryAfter(headers),
    shouldRetry: shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined,
  });
}

/** An `event: error` inside a 200 stream, e.g. `overloaded_error` (→ retryable 503). */
export function parseAnthropicStreamError(event: Record<string, unknown>): GatewayError {
  const fields = extractFields(event);
  const status = STATUS_BY_TYPE[fields.type] ?? 502;
  return classifyUpstreamError({ status, message: fields.message, kind: classifyKind(status, fields) });
}

function classifyKind(status: number, fields: AnthropicErrorFields): UpstreamErrorFacts['kind'] {
  if (/prompt is too long|exceed(?:s|ed)? (?:the )?context (?:limit|window)|context window|context_length_exceeded/i.test(fields.message)) return 'context_length';
  // A monthly spend cap answers 429 but will not lift on retry; billing and credit errors likewise.
  if (fields.type === 'billing_error' || status === 402 || fields.errorCode === 'enforced_spend_limit_reached' || /credit balance is too low/i.test(fields.message)) return 'quota';
  return undefined;
}

function readErrorBody(body: string): AnthropicErrorFields {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') return extractFields(parsed as Record<string, unknown>);
  } catch {
    // Not JSON: e.g. the 413 a proxy in front of the API answers; keep a short excerpt.
  }
  return { type: '', message: body.trim().slice(0, 300), errorCode: '' };
}

function extractFields(object: Record<string, unknown>): AnthropicErrorFields {
  const inner = object.error !== null && typeof object.error === 'object' ? (object.error as Record<string, unknown>) : object;
  const details = inner.details !== null && typeof inner.details === 'object' ? (inner.details as Record<string, unknown>) : {};
  const message = typeof inner.message === 'string' ? inner.message.slice(0, 1000) : '';
  const requestId = typeof object.request_id === 'string' && object.request_id !== '' ? ` (request ${object.request_id})` : '';
  return {
    type: typeof inner.type === 'string' ? inner.type : '',
    message: message === '' ? message : message + requestId,
    errorCode: typeof details.error_code === 'string' ? details.error_code : '',
  };
}
