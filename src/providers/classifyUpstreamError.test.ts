import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/gatewayError.js';
import { classifyUpstreamError, malformedUpstream, type UpstreamErrorFacts } from './classifyUpstreamError.js';

interface Expected {
  status: number;
  code: string;
  retryable: boolean;
  fallback: boolean;
  nextModel: boolean;
}

function outcome(facts: UpstreamErrorFacts): Expected {
  const error = classifyUpstreamError(facts);
  return { status: error.status, code: error.code, retryable: error.retryable, fallback: error.fallback, nextModel: error.nextModel };
}

const row = (status: number, code: string, retryable: boolean, fallback: boolean, nextModel = false): Expected => ({ status, code, retryable, fallback, nextModel });

describe('classifyUpstreamError: the §8.4 table by HTTP status', () => {
  it.each<[number, Expected]>([
    [400, row(400, 'invalid_request', false, false)],
    [401, row(502, 'upstream_error', false, true)],
    [402, row(502, 'upstream_error', false, true)],
    [403, row(502, 'upstream_error', false, true)],
    [404, row(502, 'upstream_error', false, true)],
    [405, row(400, 'invalid_request', false, false)],
    [408, row(504, 'upstream_timeout', true, true)],
    [409, row(502, 'upstream_error', true, true)],
    [413, row(413, 'payload_too_large', false, false)],
    [422, row(422, 'invalid_request', false, false)],
    [429, row(429, 'rate_limit_exceeded', true, true)],
    [500, row(502, 'upstream_error', true, true)],
    [501, row(502, 'upstream_error', true, true)],
    [502, row(502, 'upstream_error', true, true)],
    [503, row(503, 'model_unavailable', true, true)],
    [504, row(504, 'upstream_timeout', true, true)],
    [520, row(502, 'upstream_error', true, true)],
    [529, row(503, 'model_unavailable', true, true)],
    [200, row(502, 'upstream_error', true, true)],
    [302, row(502, 'upstream_error', true, true)],
  ])('HTTP %i', (status, expected) => {
    expect(outcome({ status, message: 'boom' })).toEqual(expected);
  });
});

describe('classifyUpstreamError: by kind', () => {
  it.each<[UpstreamErrorFacts['kind'], number, Expected]>([
    ['context_length', 400, row(400, 'context_length_exceeded', false, false, true)],
    // The kind wins over the status: some hosts report context overflow as 413 or 422.
    ['context_length', 413, row(400, 'context_length_exceeded', false, false, true)],
    ['context_length', 422, row(400, 'context_length_exceeded', false, false, true)],
    ['quota', 429, row(502, 'upstream_error', false, true)],
    ['quota', 403, row(502, 'upstream_error', false, true)],
    ['content_filter', 400, row(400, 'content_filtered', false, false)],
  ])('%s at HTTP %i', (kind, status, expected) => {
    expect(outcome({ status, message: 'x', kind })).toEqual(expected);
  });

  it('is not swayed by x-should-retry for quota errors', () => {
    expect(outcome({ status: 429, message: 'x', kind: 'quota', shouldRetry: true })).toEqual(row(502, 'upstream_error', false, true));
  });
});

describe('classifyUpstreamError: x-should-retry', () => {
  it.each<[number, boolean, Expected]>([
    [429, false, row(429, 'rate_limit_exceeded', false, true)],
    [500, false, row(502, 'upstream_error', false, true)],
    [503, false, row(503, 'model_unavailable', false, true)],
    [529, false, row(503, 'model_unavailable', false, true)],
    [408, false, row(504, 'upstream_timeout', false, true)],
    [409, false, row(502, 'upstream_error', false, true)],
    [500, true, row(502, 'upstream_error', true, true)],
    // Only transient statuses take the advice; a client error stays the caller's.
    [400, true, row(400, 'invalid_request', false, false)],
    [401, true, row(502, 'upstream_error', false, true)],
  ])('HTTP %i with x-should-retry: %s', (status, shouldRetry, expected) => {
    expect(outcome({ status, message: 'x', shouldRetry })).toEqual(expected);
  });
});

describe('classifyUpstreamError: details', () => {
  it('passes retry-after on 429, 503 and 5xx, marked as a provider limit on 429', () => {
    const limited = classifyUpstreamError({ status: 429, message: 'slow down', retryAfterSeconds: 12 });
    expect(limited).toMatchObject({ retryAfterSeconds: 12, rateLimitSource: 'provider', type: 'rate_limit_error' });
    expect(classifyUpstreamError({ status: 503, message: '', retryAfterSeconds: 3 }).retryAfterSeconds).toBe(3);
    expect(classifyUpstreamError({ status: 500, message: '', retryAfterSeconds: 4 }).retryAfterSeconds).toBe(4);
    expect(classifyUpstreamError({ status: 400, message: '', retryAfterSeconds: 4 }).retryAfterSeconds).toBeUndefined();
  });

  it("includes the provider's message, except for credential errors which may echo a key", () => {
    expect(classifyUpstreamError({ status: 500, message: 'The server had an error' }).message).toBe('The provider failed (HTTP 500): The server had an error');
    expect(classifyUpstreamError({ status: 500, message: '' }).message).toBe('The provider failed (HTTP 500)');
    for (const status of [401, 403]) {
      const error = classifyUpstreamError({ status, message: 'Incorrect API key provided: sk-proj-abc***xyz' });
      expect(error.message).not.toContain('sk-proj');
      expect(error.message).toContain(String(status));
    }
  });

  it('builds GatewayErrors with the contract type for their status and no provider yet', () => {
    const error = classifyUpstreamError({ status: 404, message: 'The model `gpt-9` does not exist' });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.type).toBe('api_error');
    expect(error.provider).toBeUndefined();
    expect(error.withProvider('openai')).toMatchObject({ provider: 'openai', status: 502, code: 'upstream_error', fallback: true, retryable: false });
  });
});

describe('malformedUpstream', () => {
  it('is a retryable 502 upstream_error naming what was wrong', () => {
    expect(malformedUpstream('no choices array')).toMatchObject({
      status: 502,
      code: 'upstream_error',
      retryable: true,
      fallback: true,
      message: 'The provider sent a malformed response: no choices array',
    });
  });
});
