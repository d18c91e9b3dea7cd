import { GatewayError, isGatewayError } from '../core/gatewayError.js';

const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting to the provider timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the provider did not start answering in time',
  UND_ERR_BODY_TIMEOUT: 'the provider stopped sending data (idle timeout)',
};

/** A network-level failure (refused, reset, timed out) → a retryable GatewayError. */
export function toUpstreamError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : '';
  const timeout = TIMEOUTS[codeText];
  if (timeout !== undefined) return new GatewayError(504, 'upstream_timeout', `Upstream timeout: ${timeout}`, { retryable: true, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(502, 'upstream_error', `Could not reach the provider: ${codeText === '' ? message : `${codeText} ${message}`}`, {
    retryable: true,
    cause: error,
  });
}
