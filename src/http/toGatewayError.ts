import { GatewayError, isGatewayError } from '../core/gatewayError.js';

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** Any error that reached the HTTP layer → a GatewayError (framework errors get their contract codes). */
export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const framework = (error ?? {}) as FrameworkError;
  switch (framework.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(413, 'payload_too_large', 'The request body is larger than this gateway accepts.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError(400, 'invalid_request', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(400, 'invalid_request', 'Unsupported Content-Type; send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError(400, 'invalid_request', 'The Content-Length header does not match the body.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError(400, 'invalid_request', 'The request body is not valid JSON.');
  }
  if (error instanceof SyntaxError) {
    return new GatewayError(400, 'invalid_request', `The request body is not valid JSON: ${String(framework.message)}`);
  }
  // Other 400s of the framework (a bad URL, a body cut short) are not about JSON.
  if (framework.statusCode === 400 && typeof framework.message === 'string') {
    return new GatewayError(400, 'invalid_request', `The request could not be read: ${framework.message}`);
  }
  return new GatewayError(500, 'internal_error', 'The gateway failed to process the request.', { cause: error });
}
