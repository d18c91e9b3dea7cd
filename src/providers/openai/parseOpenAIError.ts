import type { GatewayError } from '../../core/gatewayError.js';
import type { ResponseHeaders } from '../adapter.js';
import { classifyUpstreamError, type UpstreamErrorFacts } from '../classifyUpstreamError.js';
import { headerValue, parseRetryAfter } from '../parseRetryAfter.js';

interface ErrorFields {
  message: string;
  type: string;
  code: string;
}

/** An OpenAI-style error response (nested `{error:{...}}`, flat `{object:"error",...}` or plain text) → GatewayError. */
export function parseOpenAIError(status: number, body: string, headers: ResponseHeaders): GatewayError {
  const fields = readErrorFields(body);
  const shouldRetry = headerValue(headers, 'x-should-retry');
  return classifyUpstreamError({
    status,
    message: fields.message,
    kind: classifyKind(fields),
    retryAfterSeconds: parseRetryAfter(headers),
    shouldRetry: shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined,
  });
}

/** A `data: {"error": ...}` event after the stream started. */
export function parseOpenAIStreamError(chunk: Record<string, unknown>): GatewayError {
  const fields = extractFields(chunk);
  // vLLM puts the HTTP status in an integer `code`, nested or (older versions) flat.
  const inner = chunk.error !== null && typeof chunk.error === 'object' ? (chunk.error as Record<string, unknown>) : chunk;
  const status = typeof inner.code === 'number' ? inner.code : 502;
  return classifyUpstreamError({ status: status >= 400 ? status : 502, message: fields.message, kind: classifyKind(fields) });
}

function classifyKind(fields: ErrorFields): UpstreamErrorFacts['kind'] {
  const text = `${fields.code} ${fields.type}`;
  if (/context_length_exceeded|string_above_max_length/.test(text) || /maximum context length|context length|context window|too many tokens|prompt is too long/i.test(fields.message)) {
    return 'context_length';
  }
  if (/insufficient_quota|insufficient_balance|billing/.test(text)) return 'quota';
  if (/content_filter|content_policy_violation/.test(text)) return 'content_filter';
  return undefined;
}

function readErrorFields(body: string): ErrorFields {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') return extractFields(parsed as Record<string, unknown>);
  } catch {
    // Not JSON: a proxy or load balancer page; keep a short excerpt.
  }
  return { message: body.trim().slice(0, 300), type: '', code: '' };
}

function extractFields(object: Record<string, unknown>): ErrorFields {
  const inner = object.error !== null && typeof object.error === 'object' ? (object.error as Record<string, unknown>) : object;
  const message = typeof inner.message === 'string' ? inner.message : typeof object.error === 'string' ? object.error : typeof object.detail === 'string' ? object.detail : structuredMessage(inner.message ?? object.detail);
  return {
    message: message.slice(0, 1000),
    type: typeof inner.type === 'string' ? inner.type : '',
    code: typeof inner.code === 'string' ? inner.code : '',
  };
}

/** Validation errors (Mistral's 422) carry a list of problems instead of a message: keep them as JSON text. */
function structuredMessage(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}
