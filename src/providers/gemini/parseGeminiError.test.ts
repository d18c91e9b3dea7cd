import { describe, expect, it } from 'vitest';
import { parseGeminiError } from './parseGeminiError.js';

function googleError(code: number, status: string, message: string, details: unknown[] = []): string {
  return JSON.stringify({ error: { code, message, status, details } });
}

const API_KEY_INVALID = googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
  { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
]);

const PER_MINUTE_QUOTA = googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
  {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' }, quotaValue: '10' }],
  },
  { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '27s' },
]);

const PER_DAY_QUOTA = googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
  {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '250' }],
  },
  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3600s' },
]);

describe('parseGeminiError (providers reference §4.7)', () => {
  it('reads an invalid API key (400 INVALID_ARGUMENT, API_KEY_INVALID) as the provider refusing credentials: fallback, no retry, key text not echoed', () => {
    const error = parseGeminiError(400, API_KEY_INVALID, {});
    expect(error).toMatchObject({ status: 502, code: 'upstream_error', retryable: false, fallback: true });
    expect(error.message).toContain('credentials');
    expect(error.message).not.toContain('API key not valid');
  });

  it('reads a per-minute RESOURCE_EXHAUSTED with its RetryInfo delay as a retryable 429 with Retry-After', () => {
    expect(parseGeminiError(429, PER_MINUTE_QUOTA, {})).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryable: true, fallback: true, retryAfterSeconds: 27, rateLimitSource: 'provider' });
  });

  it('rounds fractional delays up and falls back to the retry-after header', () => {
    const fractional = googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.2s' }]);
    expect(parseGeminiError(429, fractional, {}).retryAfterSeconds).toBe(2);
    expect(parseGeminiError(429, googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'), { 'retry-after': '5' }).retryAfterSeconds).toBe(5);
  });

  it('reads a per-day quota as not retryable but worth a fallback', () => {
    expect(parseGeminiError(429, PER_DAY_QUOTA, {})).toMatchObject({ status: 502, code: 'upstream_error', retryable: false, fallback: true });
  });

  it('reads the context overflow message as context_length_exceeded, which moves on to the next model', () => {
    const body = googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).');
    expect(parseGeminiError(400, body, {})).toMatchObject({ status: 400, code: 'context_length_exceeded', retryable: false, nextModel: true });
  });

  it.each<[number, string, string, Record<string, unknown>]>([
    [400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified', { status: 400, code: 'invalid_request', retryable: false }],
    [400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.', { status: 400, code: 'invalid_request', retryable: false }],
    [403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers.', { status: 502, code: 'upstream_error', retryable: false, fallback: true }],
    [404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta.', { status: 502, code: 'upstream_error', retryable: false, fallback: true }],
    [500, 'INTERNAL', 'An internal error has occurred.', { status: 502, code: 'upstream_error', retryable: true }],
    [503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.', { status: 503, code: 'model_unavailable', retryable: true }],
    [504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.', { status: 504, code: 'upstream_timeout', retryable: true }],
  ])('%i %s → %j', (status, rpc, message, expected) => {
    const error = parseGeminiError(status, googleError(status, rpc, message), {});
    expect(error).toMatchObject(expected);
    if (status === 400) expect(error.message).toContain(message);
  });

  it('reads the array form of the stream endpoint and plain-text bodies', () => {
    const array = JSON.stringify([{ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }]);
    expect(parseGeminiError(503, array, {})).toMatchObject({ code: 'model_unavailable', message: expect.stringContaining('overloaded') });
    expect(parseGeminiError(502, '<html>Bad Gateway</html>', {})).toMatchObject({ status: 502, code: 'upstream_error', message: expect.stringContaining('Bad Gateway') });
  });
});
