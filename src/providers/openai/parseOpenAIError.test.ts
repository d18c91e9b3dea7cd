import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../core/gatewayError.js';
import type { ResponseHeaders } from '../adapter.js';
import { parseOpenAIError, parseOpenAIStreamError } from './parseOpenAIError.js';

function openaiBody(message: string, type: string | null, code: string | number | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

interface Expected {
  status: number;
  code: string;
  retryable: boolean;
  fallback: boolean;
  nextModel: boolean;
}

function outcome(status: number, body: string, headers: ResponseHeaders = {}): Expected {
  const error = parseOpenAIError(status, body, headers);
  expect(error).toBeInstanceOf(GatewayError);
  return { status: error.status, code: error.code, retryable: error.retryable, fallback: error.fallback, nextModel: error.nextModel };
}

const row = (status: number, code: string, retryable: boolean, fallback: boolean, nextModel = false): Expected => ({ status, code, retryable, fallback, nextModel });

const CONTEXT_MESSAGE = "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.";

describe('parseOpenAIError: the §1.6 table with OpenAI bodies', () => {
  it.each<[string, number, string, Expected]>([
    ['400 context_length_exceeded', 400, openaiBody(CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded', 'messages'), row(400, 'context_length_exceeded', false, false, true)],
    ['400 unsupported_parameter', 400, openaiBody("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'invalid_request_error', 'unsupported_parameter', 'max_tokens'), row(400, 'invalid_request', false, false)],
    ['400 unsupported_value', 400, openaiBody("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", 'invalid_request_error', 'unsupported_value', 'temperature'), row(400, 'invalid_request', false, false)],
    ['400 invalid_value', 400, openaiBody("Invalid value: 'minimal'. Supported values are: 'none', 'low', 'medium', and 'high'.", 'invalid_request_error', 'invalid_value', 'reasoning_effort'), row(400, 'invalid_request', false, false)],
    ['401 invalid_api_key', 401, openaiBody('Incorrect API key provided: sk-proj-abc***xyz. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'), row(502, 'upstream_error', false, true)],
    ['403 unsupported region', 403, openaiBody('Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory'), row(502, 'upstream_error', false, true)],
    ['404 model_not_found', 404, openaiBody('The model `gpt-9` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'), row(502, 'upstream_error', false, true)],
    ['408 timeout', 408, openaiBody('Request timed out.', 'timeout', null), row(504, 'upstream_timeout', true, true)],
    ['409 lock', 409, openaiBody('Another request is in progress.', 'conflict', null), row(502, 'upstream_error', true, true)],
    ['422 unprocessable', 422, openaiBody('Unprocessable entity', 'invalid_request_error', null), row(422, 'invalid_request', false, false)],
    ['429 rate_limit_exceeded', 429, openaiBody('Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.', 'requests', 'rate_limit_exceeded'), row(429, 'rate_limit_exceeded', true, true)],
    ['429 tokens', 429, openaiBody('Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000.', 'tokens', 'rate_limit_exceeded'), row(429, 'rate_limit_exceeded', true, true)],
    ['429 insufficient_quota', 429, openaiBody('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'), row(502, 'upstream_error', false, true)],
    ['500 server_error', 500, openaiBody('The server had an error while processing your request. Sorry about that!', 'server_error', null), row(502, 'upstream_error', true, true)],
    ['502 bad gateway', 502, openaiBody('Bad gateway.', 'server_error', null), row(502, 'upstream_error', true, true)],
    ['503 overloaded', 503, openaiBody('That model is currently overloaded with other requests. You can retry your request.', 'server_error', 'overloaded'), row(503, 'model_unavailable', true, true)],
    ['504 gateway timeout', 504, openaiBody('Gateway timeout.', 'server_error', null), row(504, 'upstream_timeout', true, true)],
  ])('%s', (_name, status, body, expected) => {
    expect(outcome(status, body)).toEqual(expected);
  });

  it('keeps the provider message but never the key echoed in a 401', () => {
    expect(parseOpenAIError(404, openaiBody('The model `gpt-9` does not exist.', 'invalid_request_error', 'model_not_found'), {}).message).toContain('The model `gpt-9` does not exist.');
    expect(parseOpenAIError(401, openaiBody('Incorrect API key provided: sk-proj-abc***xyz.', 'invalid_request_error', 'invalid_api_key'), {}).message).not.toContain('sk-proj');
  });
});

describe('parseOpenAIError: other providers', () => {
  it.each<[string, number, string, Expected]>([
    ['DeepSeek 402 insufficient balance', 402, openaiBody('Insufficient Balance', 'unknown_error', 'invalid_request_error'), row(502, 'upstream_error', false, true)],
    ['DeepSeek 400 context overflow by message', 400, openaiBody("This model's maximum context length is 65536 tokens. However, you requested 70123 tokens (70000 in the messages, 123 in the completion).", 'invalid_request_error', 'invalid_request_error'), row(400, 'context_length_exceeded', false, false, true)],
    ['DeepSeek 422 invalid parameters', 422, openaiBody('Invalid parameter: temperature', 'invalid_request_error', 'invalid_request_error'), row(422, 'invalid_request', false, false)],
    ['DeepSeek 503 overloaded', 503, openaiBody('Server overloaded, please try again later', 'service_unavailable_error', null), row(503, 'model_unavailable', true, true)],
    ['vLLM nested error with a numeric code', 400, openaiBody("This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", 'BadRequestError', 400), row(400, 'context_length_exceeded', false, false, true)],
    ['vLLM flat error (older versions)', 400, JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 }), row(400, 'context_length_exceeded', false, false, true)],
    ['vLLM flat 404', 404, JSON.stringify({ object: 'error', message: 'The model `llama` does not exist.', type: 'NotFoundError', param: null, code: 404 }), row(502, 'upstream_error', false, true)],
    ['Mistral flat context error', 400, JSON.stringify({ object: 'error', message: 'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length', type: 'invalid_request_message_error', param: null, code: '3051' }), row(400, 'context_length_exceeded', false, false, true)],
    ['Mistral flat 429', 429, JSON.stringify({ object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited', param: null, code: '1300' }), row(429, 'rate_limit_exceeded', true, true)],
    ['Anthropic-style "prompt is too long"', 400, openaiBody('prompt is too long: 210000 tokens > 200000 maximum', 'invalid_request_error', null), row(400, 'context_length_exceeded', false, false, true)],
    ['string_above_max_length', 400, openaiBody("Invalid 'messages[0].content': string too long.", 'invalid_request_error', 'string_above_max_length'), row(400, 'context_length_exceeded', false, false, true)],
    ['Azure content filter', 400, openaiBody("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", null, 'content_filter', 'prompt'), row(400, 'content_filtered', false, false)],
    ['content_policy_violation', 400, openaiBody('Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation'), row(400, 'content_filtered', false, false)],
    ['billing hard limit', 400, openaiBody('Billing hard limit has been reached', 'invalid_request_error', 'billing_hard_limit_reached'), row(502, 'upstream_error', false, true)],
    ['a string error member', 404, JSON.stringify({ error: 'Model not found' }), row(502, 'upstream_error', false, true)],
    ['FastAPI detail', 422, JSON.stringify({ detail: 'Field required' }), row(422, 'invalid_request', false, false)],
  ])('%s', (_name, status, body, expected) => {
    expect(outcome(status, body)).toEqual(expected);
  });

  it('reads the message of flat, string and detail bodies', () => {
    expect(parseOpenAIError(400, JSON.stringify({ object: 'error', message: 'Flat message', type: 'x', code: 1 }), {}).message).toContain('Flat message');
    expect(parseOpenAIError(400, JSON.stringify({ error: 'String message' }), {}).message).toContain('String message');
    expect(parseOpenAIError(422, JSON.stringify({ detail: 'Detail message' }), {}).message).toContain('Detail message');
  });

  it('caps a long JSON message', () => {
    const error = parseOpenAIError(500, openaiBody('x'.repeat(5000), 'server_error', null), {});
    expect(error.message.length).toBeLessThan(1100);
  });
});

describe('parseOpenAIError: bodies that are not JSON', () => {
  const NGINX = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

  it.each<[string, number, string, Expected]>([
    ['nginx HTML 502', 502, NGINX, row(502, 'upstream_error', true, true)],
    ['HTML 503', 503, '<!DOCTYPE html><title>Service Unavailable</title>', row(503, 'model_unavailable', true, true)],
    ['empty 500', 500, '', row(502, 'upstream_error', true, true)],
    ['plain-text 400', 400, 'Bad Request', row(400, 'invalid_request', false, false)],
    ['plain-text context error', 400, 'maximum context length exceeded', row(400, 'context_length_exceeded', false, false, true)],
    ['JSON null', 500, 'null', row(502, 'upstream_error', true, true)],
    ['JSON number', 429, '42', row(429, 'rate_limit_exceeded', true, true)],
    ['truncated JSON', 500, '{"error": {"message": "oops', row(502, 'upstream_error', true, true)],
  ])('%s', (_name, status, body, expected) => {
    expect(outcome(status, body)).toEqual(expected);
  });

  it('keeps a short excerpt of a text body', () => {
    const error = parseOpenAIError(502, NGINX, {});
    expect(error.message).toContain('502 Bad Gateway');
    const long = parseOpenAIError(502, `<html>${'a'.repeat(10_000)}</html>`, {});
    expect(long.message.length).toBeLessThan(400);
  });
});

describe('parseOpenAIError: headers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const RATE_LIMIT = openaiBody('Rate limit reached', 'requests', 'rate_limit_exceeded');

  it.each<[string, ResponseHeaders, number | undefined]>([
    ['retry-after seconds', { 'retry-after': '20' }, 20],
    ['retry-after-ms', { 'retry-after-ms': '120' }, 1],
    ['retry-after-ms over retry-after', { 'retry-after-ms': '2500', 'retry-after': '60' }, 3],
    ['retry-after as an HTTP date', { 'retry-after': 'Thu, 01 Jan 2026 00:00:45 GMT' }, 45],
    ['no retry header', {}, undefined],
  ])('429 with %s', (_name, headers, seconds) => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const error = parseOpenAIError(429, RATE_LIMIT, headers);
    expect(error.retryAfterSeconds).toBe(seconds);
    expect(error.rateLimitSource).toBe('provider');
  });

  it('passes Retry-After on 503', () => {
    expect(parseOpenAIError(503, '', { 'retry-after': '8' }).retryAfterSeconds).toBe(8);
  });

  it.each<[number, string, boolean]>([
    [429, 'false', false],
    [500, 'false', false],
    [503, 'false', false],
    [500, 'true', true],
    [503, 'true', true],
    [429, 'maybe', true],
    [500, 'TRUE', true],
  ])('HTTP %i with x-should-retry: %s → retryable %s', (status, header, retryable) => {
    const error = parseOpenAIError(status, '', { 'x-should-retry': header });
    expect(error.retryable).toBe(retryable);
    // Another provider may still serve the request.
    expect(error.fallback).toBe(true);
  });

  it('x-should-retry: false keeps a quota error non-retryable and x-should-retry: true does not make a 400 retryable', () => {
    expect(parseOpenAIError(429, openaiBody('quota', 'insufficient_quota', 'insufficient_quota'), { 'x-should-retry': 'true' }).retryable).toBe(false);
    expect(parseOpenAIError(400, openaiBody('bad', 'invalid_request_error', null), { 'x-should-retry': 'true' }).retryable).toBe(false);
  });
});

describe('parseOpenAIStreamError', () => {
  it.each<[string, Record<string, unknown>, Expected]>([
    ['an OpenAI server error', { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }, row(502, 'upstream_error', true, true)],
    ['a vLLM error with a numeric status code', { error: { message: 'Not found', type: 'NotFoundError', param: null, code: 404 } }, row(502, 'upstream_error', false, true)],
    ['a vLLM 503', { error: { message: 'Engine overloaded', type: 'ServiceUnavailableError', param: null, code: 503 } }, row(503, 'model_unavailable', true, true)],
    ['a context overflow by message', { error: { message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', code: 400 } }, row(400, 'context_length_exceeded', false, false, true)],
    ['a string code', { error: { message: 'Rate limit', type: 'requests', code: 'rate_limit_exceeded' } }, row(502, 'upstream_error', true, true)],
    ['a numeric code below 400', { error: { message: 'odd', code: 200 } }, row(502, 'upstream_error', true, true)],
    ['a flat error object', { object: 'error', message: 'Internal error', type: 'InternalServerError', code: 500 }, row(502, 'upstream_error', true, true)],
  ])('%s', (_name, chunk, expected) => {
    const error = parseOpenAIStreamError(chunk);
    expect({ status: error.status, code: error.code, retryable: error.retryable, fallback: error.fallback, nextModel: error.nextModel }).toEqual(expected);
  });

  it('keeps the upstream message', () => {
    expect(parseOpenAIStreamError({ error: { message: 'Engine died', type: 'server_error' } }).message).toContain('Engine died');
  });
});
