/** google.rpc status names by HTTP status, as the Generative Language API pairs them. */
const RPC_STATUS_BY_HTTP: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED', 413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 501: 'UNIMPLEMENTED', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

const HTTP_BY_RPC_STATUS: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 400, OUT_OF_RANGE: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403, NOT_FOUND: 404,
  ABORTED: 409, ALREADY_EXISTS: 409, RESOURCE_EXHAUSTED: 429, CANCELLED: 499, INTERNAL: 500, UNKNOWN: 500, DATA_LOSS: 500,
  UNIMPLEMENTED: 501, UNAVAILABLE: 503, DEADLINE_EXCEEDED: 504,
};

/** What Google typically says for a status, used when a scripted error names only the status. */
const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
  UNAUTHENTICATED: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  PERMISSION_DENIED: 'The caller does not have permission',
  NOT_FOUND: 'Requested entity was not found.',
  RESOURCE_EXHAUSTED: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  INTERNAL: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  UNAVAILABLE: 'The model is overloaded. Please try again later.',
  DEADLINE_EXCEEDED: 'Deadline expired before operation could complete.',
};

export function rpcStatusFor(httpStatus: number): string {
  return RPC_STATUS_BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/** The HTTP status of a google.rpc status name; undefined for a name Google does not use. */
export function httpStatusFor(rpcStatus: string): number | undefined {
  return HTTP_BY_RPC_STATUS[rpcStatus];
}

export function defaultGoogleMessage(rpcStatus: string): string {
  return DEFAULT_MESSAGES[rpcStatus] ?? 'Simulated error.';
}

/** `google.rpc.ErrorInfo` as Google attaches it to key errors. */
export function errorInfo(reason: string): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } };
}

/** `{"error":{"code","message","status"[,"details"]}}`: a google.rpc.Status, Gemini's error body. */
export function googleErrorBody(code: number, message: string, status: string, details: Record<string, unknown>[] = []): string {
  const error: Record<string, unknown> = { code, message, status };
  if (details.length > 0) error.details = details;
  return JSON.stringify({ error });
}
