import { describe, expect, it } from 'vitest';
import { parseAnthropicError } from './parseAnthropicError.js';

function body(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });
}

describe('parseAnthropicError', () => {
  it.each<[number, string, string, number, string, boolean, boolean]>([
    [400, 'invalid_request_error', 'max_tokens: Field required', 400, 'invalid_request', false, false],
    [401, 'authentication_error', 'invalid x-api-key', 502, 'upstream_error', false, true],
    [402, 'billing_error', 'Your credit balance is too low', 502, 'upstream_error', false, true],
    [403, 'permission_error', 'Your API key does not have permission', 502, 'upstream_error', false, true],
    [404, 'not_found_error', 'model: claude-nope', 502, 'upstream_error', false, true],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', 429, 'rate_limit_exceeded', true, true],
    [500, 'api_error', 'Internal server error', 502, 'upstream_error', true, true],
    [504, 'timeout_error', 'Request timed out', 504, 'upstream_timeout', true, true],
    [529, 'overloaded_error', 'Overloaded', 503, 'model_unavailable', true, true],
  ])('%i %s → %i %s (retryable %s, fallback %s)', (status, type, message, mappedStatus, code, retryable, fallback) => {
    const error = parseAnthropicError(status, body(type, message), {});
    expect(error).toMatchObject({ status: mappedStatus, code, retryable, fallback });
  });

  it('keeps the message and the request id for diagnosis, except for credential errors', () => {
    expect(parseAnthropicError(500, body('api_error', 'Internal server error'), {}).message).toContain('Internal server error (request req_011CSHoEeqs5C35K2UUqR7Fy)');
    expect(parseAnthropicError(401, body('authentication_error', 'invalid x-api-key sk-ant-xyz'), {}).message).not.toContain('sk-ant');
  });

  it('passes retry-after on 429 and 529', () => {
    expect(parseAnthropicError(429, body('rate_limit_error', 'slow down'), { 'retry-after': '17' })).toMatchObject({ retryAfterSeconds: 17, rateLimitSource: 'provider' });
    expect(parseAnthropicError(529, body('overloaded_error', 'Overloaded'), { 'retry-after': '3' })).toMatchObject({ status: 503, retryAfterSeconds: 3 });
  });

  it('treats a monthly spend cap (429 enforced_spend_limit_reached) as not retryable but open to fallback', () => {
    const error = parseAnthropicError(429, body('rate_limit_error', 'You have reached your specified API usage limits.', { details: { error_code: 'enforced_spend_limit_reached' } }), { 'retry-after': '60' });
    expect(error).toMatchObject({ retryable: false, fallback: true });
    expect(error.code).not.toBe('rate_limit_exceeded');
  });

  it.each([
    'prompt is too long: 213462 tokens > 200000 maximum',
    'input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000, decrease input length or `max_tokens` and try again',
  ])('recognises context overflow: %s', (message) => {
    expect(parseAnthropicError(400, body('invalid_request_error', message), {})).toMatchObject({ status: 400, code: 'context_length_exceeded', nextModel: true });
  });

  it('treats a credit-balance 400 as quota', () => {
    expect(parseAnthropicError(400, body('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'), {})).toMatchObject({ status: 502, retryable: false, fallback: true });
  });

  it('reads a non-JSON 413 from a proxy as payload_too_large', () => {
    const error = parseAnthropicError(413, '<html><body>413 Request Entity Too Large</body></html>', {});
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large', retryable: false });
    expect(error.message).toContain('413 Request Entity Too Large');
  });

  it('follows x-should-retry', () => {
    expect(parseAnthropicError(529, body('overloaded_error', 'Overloaded'), { 'x-should-retry': 'false' }).retryable).toBe(false);
    expect(parseAnthropicError(409, '', { 'x-should-retry': 'true' }).retryable).toBe(true);
  });
});
