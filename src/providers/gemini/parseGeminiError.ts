import type { GatewayError } from '../../core/gatewayError.js';
import type { ResponseHeaders } from '../adapter.js';
import { classifyUpstreamError, type UpstreamErrorFacts } from '../classifyUpstreamError.js';
import { parseRetryAfter } from '../parseRetryAfter.js';

/** google.rpc codes → HTTP status, for error objects that carry only the name (stream errors). */
const RPC_STATUS: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 400, OUT_OF_RANGE: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403, NOT_FOUND: 404,
  ABORTED: 409, ALREADY_EXISTS: 409, RESOURCE_EXHAUSTED: 429, CANCELLED: 499, INTERNAL: 500, UNKNOWN: 500, DATA_LOSS: 500,
  UNIMPLEMENTED: 501, UNAVAILABLE: 503, DEADLINE_EXCEEDED: 504,
};
/** ErrorInfo reasons of a key Google refused; Google answers them as 400 INVALID_ARGUMENT. */
const KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED', 'API_KEY_HTTP_REFERRER_BLOCKED', 'API_KEY_IP_ADDRESS_BLOCKED']);
const CONTEXT_OVERFLOW = /input token count.*exceeds the maximum|exceeds the maximum number of tokens|context window/i;

interface GoogleError {
  code: number | undefined;
  message: string;
  status: string;
  details: Record<string, unknown>[];
}

/** A Gemini error response (`{error: {code, message, status, details}}`, google.rpc.Status; providers reference §4.7) → GatewayError. */
export function parseGeminiError(status: number, body: string, headers: ResponseHeaders): GatewayError {
  const error = readBody(body);
  return classifyGoogleError(status, error, retryDelaySeconds(error.details) ?? parseRetryAfter(headers));
}

/** An `{error: {...}}` object that came inside a 200 (a stream event, or a whole body). */
export function parseGeminiErrorObject(object: Record<string, unknown>): GatewayError {
  const error = readError(object);
  const status = error.code !== undefined && error.code >= 400 ? error.code : (RPC_STATUS[error.status] ?? 502);
  return classifyGoogleError(status, error, retryDelaySeconds(error.details));
}

function classifyGoogleError(status: number, error: GoogleError, retryAfterSeconds: number | undefined): GatewayError {
  const keyRefused = error.details.some((detail) => typeof detail.reason === 'string' && KEY_REASONS.has(detail.reason)) || /API key not valid|API key expired/i.test(error.message);
  let kind: UpstreamErrorFacts['kind'];
  if (CONTEXT_OVERFLOW.test(error.message)) kind = 'context_length';
  else if (status === 429 && isDailyQuota(error)) kind = 'quota';
  return classifyUpstreamError({
    // A refused key is the gateway's credentials problem, whatever status Google chose for it.
    status: keyRefused ? 401 : status,
    message: error.message,
    kind,
    retryAfterSeconds,
  });
}

/** A per-day quota does not come back within a retry: QuotaFailure ids like `GenerateRequestsPerDayPerProjectPerModel-FreeTier`. */
function isDailyQuota(error: GoogleError): boolean {
  for (const detail of error.details) {
    if (!Array.isArray(detail.violations)) continue;
    for (const violation of detail.violations as unknown[]) {
      if (violation === null || typeof violation !== 'object') continue;
      const { quotaId, quotaMetric } = violation as Record<string, unknown>;
      if ((typeof quotaId === 'string' && /PerDay/i.test(quotaId)) || (typeof quotaMetric === 'string' && /per_day/i.test(quotaMetric))) return true;
    }
  }
  return /per day|daily (?:quota|limit)/i.test(error.message);
}

/** `RetryInfo.retryDelay` ("30s", "1.5s") in whole seconds, rounded up. */
function retryDelaySeconds(details: Record<string, unknown>[]): number | undefined {
  for (const detail of details) {
    if (typeof detail['@type'] !== 'string' || !detail['@type'].endsWith('google.rpc.RetryInfo')) continue;
    const match = typeof detail.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
    if (match !== null) return Math.ceil(Number(match[1]));
  }
  return undefined;
}

function readBody(body: string): GoogleError {
  try {
    let parsed: unknown = JSON.parse(body);
    // The stream endpoint without alt=sse wraps its answer in an array.
    if (Array.isArray(parsed)) parsed = parsed[0];
    if (parsed !== null && typeof parsed === 'object') return readError(parsed as Record<string, unknown>);
  } catch {
    // Not JSON: a proxy or load balancer page; keep a short excerpt.
  }
  return { code: undefined, message: body.trim().slice(0, 300), status: '', details: [] };
}

function readError(object: Record<string, unknown>): GoogleError {
  const inner = object.error !== null && typeof object.error === 'object' ? (object.error as Record<string, unknown>) : object;
  const details = Array.isArray(inner.details) ? (inner.details as unknown[]).filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object') : [];
  return {
    code: typeof inner.code === 'number' ? inner.code : undefined,
    message: (typeof inner.message === 'string' ? inner.message : typeof object.error === 'string' ? object.error : '').slice(0, 1000),
    status: typeof inner.status === 'string' ? inner.status : '',
    details,
  };
}
