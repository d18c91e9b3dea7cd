import type { Behaviour } from '../behaviour.js';
import type { ResponseDelivery } from '../responseDelivery.js';
import { writeJson } from '../writeJson.js';
import { defaultGoogleMessage, errorInfo, googleErrorBody, httpStatusFor, rpcStatusFor } from './googleErrorBody.js';

/** The google.rpc status a behaviour asks for: `errorCode` when it names one, else the one Google pairs with the HTTP status. */
function rpcStatus(behaviour: Behaviour, status: number): string {
  const named = behaviour.errorCode;
  return typeof named === 'string' && httpStatusFor(named) !== undefined ? named : rpcStatusFor(status);
}

/**
 * A scripted error as Gemini sends it. Behaviour keys read the Google way: `errorCode` is the google.rpc status,
 * `errorType` an ErrorInfo reason (e.g. API_KEY_INVALID), and `retryAfter`/`retryAfterMs` become a RetryInfo
 * `retryDelay` in the body (Google sends no Retry-After header).
 */
export function scriptedGeminiErrorBody(behaviour: Behaviour, status: number): string {
  const { errorBody } = behaviour;
  if (typeof errorBody === 'string') return errorBody;
  if (errorBody !== undefined && errorBody !== null) return JSON.stringify(errorBody);
  const rpc = rpcStatus(behaviour, status);
  const details: Record<string, unknown>[] = [];
  if (behaviour.errorType !== undefined) details.push(errorInfo(behaviour.errorType));
  if (rpc === 'RESOURCE_EXHAUSTED') {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', quotaValue: '60' }],
    });
  }
  const delaySeconds = behaviour.retryAfter ?? (behaviour.retryAfterMs === undefined ? undefined : behaviour.retryAfterMs / 1000);
  if (delaySeconds !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${delaySeconds}s` });
  return googleErrorBody(status, behaviour.errorMessage ?? defaultGoogleMessage(rpc), rpc, details);
}

export function writeGeminiError(behaviour: Behaviour, status: number, delivery: ResponseDelivery): void {
  delivery.timer.later(behaviour.ttftMs, () => writeJson(delivery.response, status, scriptedGeminiErrorBody(behaviour, status), delivery.baseHeaders()));
}

/** Gemini's mid-stream failure: a `data:` object with `error` (a google.rpc.Status), then the end of the stream. */
export function geminiStreamErrorEvent(behaviour: Behaviour): string {
  const rpc = rpcStatus(behaviour, 500);
  const code = httpStatusFor(rpc) ?? 500;
  return `data: ${googleErrorBody(code, behaviour.errorMessage ?? defaultGoogleMessage(rpc), rpc)}\n\n`;
}
