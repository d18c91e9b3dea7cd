import { request } from 'undici';
import { expect } from 'vitest';
import type { Stack } from '../../support/startStack.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, undefined when it is not JSON. */
  json: unknown;
}

export interface HttpOptions {
  /** Sent as JSON with `content-type: application/json`. */
  body?: unknown;
  /** Sent verbatim; no content type is added. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** One request over a real socket; the whole body is read. */
export async function http(baseUrl: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await request(baseUrl + path, {
    method: method as 'GET',
    headers,
    body,
    signal: options.signal,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** POST /v1/chat/completions with the stack's key. */
export function chat(stack: Stack, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(stack.baseUrl, 'POST', '/v1/chat/completions', { body, headers: { ...bearer(stack.apiKey), ...headers } });
}

export const USER_MESSAGE = [{ role: 'user', content: 'Hello there' }];

export interface ErrorBody {
  message: string;
  type: string;
  code: string;
  param: string | null;
  provider?: string;
  suggestion?: string;
}

export const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'api_error',
] as const;

/** Checks the contract's error envelope (§8) and the JSON content type; returns the inner error. */
export function expectErrorEnvelope(result: HttpResult, status: number, code: string): ErrorBody {
  expect(result.status, result.text).toBe(status);
  expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = result.json as { error?: ErrorBody };
  expect(body).toBeTypeOf('object');
  expect(Object.keys(body)).toEqual(['error']);
  const error = body.error as ErrorBody;
  expect(error.code).toBe(code);
  expect(error.message).toBeTypeOf('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(ERROR_TYPES).toContain(error.type);
  expect('param' in error).toBe(true);
  expect(error.param === null || typeof error.param === 'string').toBe(true);
  return error;
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

/** The gateway's one-per-request log lines. */
export function requestLines(stack: Stack): LogLine[] {
  return (stack.logs as LogLine[]).filter((line) => line.msg === 'request');
}

/** Waits until `predicate` holds (polling), for effects that land just after a response (log lines, aborts). */
export async function eventually(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
