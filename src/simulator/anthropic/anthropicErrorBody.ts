import type { SimulatorRequestError } from '../simulatorRequestError.js';

/** Anthropic's error types (SDK `ErrorType`, plus the 413 `request_too_large`). */
const ERROR_TYPES = new Set([
  'invalid_request_error', 'authentication_error', 'billing_error', 'permission_error', 'not_found_error', 'request_too_large',
  'rate_limit_error', 'api_error', 'timeout_error', 'overloaded_error',
]);

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** What Anthropic typically says for a status, used when a scripted error names only the status. */
const MESSAGE_BY_TYPE: Readonly<Record<string, string>> = {
  invalid_request_error: 'Simulated bad request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit (simulated).',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

/** The Anthropic error type for a status, unless `type` already is a specific Anthropic type. */
export function anthropicErrorType(status: number, type?: string): string {
  if (type !== undefined && type !== 'invalid_request_error' && ERROR_TYPES.has(type)) return type;
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function defaultAnthropicMessage(type: string): string {
  return MESSAGE_BY_TYPE[type] ?? 'Simulated error.';
}

/** `{"type":"error","error":{"type","message"[,"details"]},"request_id"}`, Anthropic's error body. */
export function anthropicErrorBody(type: string, message: string, requestId: string, details?: Record<string, unknown>): string {
  const error: Record<string, unknown> = { type, message };
  if (details !== undefined) error.details = details;
  return JSON.stringify({ type: 'error', error, request_id: requestId === '' ? null : requestId });
}

export function anthropicRequestErrorBody(error: SimulatorRequestError, requestId: string): string {
  return anthropicErrorBody(anthropicErrorType(error.status, error.fields.type), error.message, requestId);
}
