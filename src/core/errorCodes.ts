/** Every stable error code of the public contract (§4.6, §8). */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_parameter_value',
  'missing_required_parameter',
  'payload_too_large',
  'method_not_allowed',
  'invalid_api_key',
  'expired_api_key',
  'insufficient_permissions',
  'model_not_found',
  'resource_not_found',
  'rate_limit_exceeded',
  'tokens_per_min_exceeded',
  'concurrent_requests_exceeded',
  'budget_exhausted',
  'latency_constraint_exceeded',
  'throughput_constraint_not_met',
  'cost_constraint_exceeded',
  'required_params_not_supported',
  'tool_choice_required_not_supported',
  'json_mode_not_supported',
  'byok_keys_required',
  'routing_constraint_unsatisfiable',
  'no_provider_available',
  'reasoning_not_supported',
  'thinking_disable_not_supported',
  'context_length_exceeded',
  'content_filtered',
  'provider_auth_error',
  'upstream_error',
  'upstream_timeout',
  'model_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error';

/** The contract's status → type table (§8); 405 is a request error too. */
export function errorTypeForStatus(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
