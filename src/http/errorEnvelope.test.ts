import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../core/errorCodes.js';
import { GatewayError } from '../core/gatewayError.js';
import { classifyUpstreamError } from '../providers/classifyUpstreamError.js';
import { errorHeaders, renderErrorEnvelope } from './errorEnvelope.js';

describe('renderErrorEnvelope', () => {
  it('renders one flat object with message, type, code and param (null when none)', () => {
    const envelope = renderErrorEnvelope(new GatewayError(404, 'model_not_found', "The model 'gpt-9' does not exist.", { param: 'model' }));
    expect(envelope).toEqual({ error: { message: "The model 'gpt-9' does not exist.", type: 'not_found_error', code: 'model_not_found', param: 'model' } });
    const noParam = renderErrorEnvelope(new GatewayError(500, 'internal_error', 'x'));
    expect(noParam.error).toHaveProperty('param', null);
    expect(Object.keys(noParam.error)).toEqual(['message', 'type', 'code', 'param']);
  });

  it('adds provider and suggestion when known', () => {
    const error = new GatewayError(400, 'json_mode_not_supported', 'No offer supports json_schema.', { provider: 'together_ai', suggestion: 'Use json_object.' });
    expect(renderErrorEnvelope(error)).toEqual({
      error: { message: 'No offer supports json_schema.', type: 'invalid_request_error', code: 'json_mode_not_supported', param: null, provider: 'together_ai', suggestion: 'Use json_object.' },
    });
  });

  it('never carries internal fields (cause, retryable, retry-after)', () => {
    const error = new GatewayError(503, 'no_provider_available', 'down', { retryable: true, retryAfterSeconds: 3, cause: new Error('secret detail') });
    const json = JSON.stringify(renderErrorEnvelope(error));
    expect(json).not.toContain('secret detail');
    expect(json).not.toContain('retry');
  });

  it.each<[number, ErrorCode, string]>([
    [400, 'invalid_parameter_value', 'invalid_request_error'],
    [401, 'invalid_api_key', 'authentication_error'],
    [403, 'insufficient_permissions', 'permission_error'],
    [404, 'resource_not_found', 'not_found_error'],
    [405, 'method_not_allowed', 'invalid_request_error'],
    [409, 'invalid_request', 'invalid_request_error'],
    [413, 'payload_too_large', 'invalid_request_error'],
    [422, 'invalid_request', 'invalid_request_error'],
    [429, 'budget_exhausted', 'rate_limit_error'],
    [500, 'internal_error', 'api_error'],
    [502, 'upstream_error', 'api_error'],
    [503, 'model_unavailable', 'api_error'],
    [504, 'upstream_timeout', 'api_error'],
  ])('HTTP %i (%s) has type %s (contract §8)', (status, code, type) => {
    expect(renderErrorEnvelope(new GatewayError(status, code, 'x')).error.type).toBe(type);
  });
});

describe('errorHeaders', () => {
  it('always sends the JSON content type, the error type and the retry advice', () => {
    expect(errorHeaders(new GatewayError(400, 'invalid_request', 'x'))).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-error-type': 'invalid_request_error',
      'x-error-retryable': 'false',
      'x-should-retry': 'false',
    });
  });

  it('names the provider and says when a retry may succeed', () => {
    const error = classifyUpstreamError({ status: 502, message: '' }).withProvider('together_ai');
    expect(errorHeaders(error)).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-error-type': 'api_error',
      'x-error-retryable': 'true',
      'x-should-retry': 'true',
      'x-error-provider': 'together_ai',
    });
  });

  it.each<[string, GatewayError, string | undefined]>([
    ['a provider 429 with Retry-After', classifyUpstreamError({ status: 429, message: '', retryAfterSeconds: 20 }), '20'],
    ['a fractional Retry-After, rounded up', new GatewayError(503, 'no_provider_available', 'x', { retryAfterSeconds: 1.2 }), '2'],
    ['a negative Retry-After', new GatewayError(503, 'no_provider_available', 'x', { retryAfterSeconds: -5 }), '0'],
    ['a 429 without one', new GatewayError(429, 'rate_limit_exceeded', 'x'), '1'],
    ['a 503 without one', new GatewayError(503, 'model_unavailable', 'x'), '1'],
    ['a 502 without one', new GatewayError(502, 'upstream_error', 'x'), undefined],
    ['a 502 with one', new GatewayError(502, 'upstream_error', 'x', { retryAfterSeconds: 4 }), '4'],
    ['a 400', new GatewayError(400, 'invalid_request', 'x'), undefined],
  ])('retry-after for %s', (_name, error, expected) => {
    expect(errorHeaders(error)['retry-after']).toBe(expected);
  });

  it.each<[string, GatewayError, string | undefined]>([
    ['the gateway by default', new GatewayError(429, 'rate_limit_exceeded', 'x'), 'gateway'],
    ['the provider', classifyUpstreamError({ status: 429, message: '' }), 'provider'],
    ['a budget', new GatewayError(429, 'budget_exhausted', 'x', { rateLimitSource: 'gateway' }), 'gateway'],
    ['nobody on a non-429', new GatewayError(503, 'model_unavailable', 'x', { rateLimitSource: 'provider' }), undefined],
  ])('x-rate-limit-source names %s', (_name, error, expected) => {
    expect(errorHeaders(error)['x-rate-limit-source']).toBe(expected);
  });

  it('renders every header value as a string', () => {
    const headers = errorHeaders(new GatewayError(429, 'rate_limit_exceeded', 'x', { retryAfterSeconds: 7, provider: 'p', retryable: true }));
    for (const value of Object.values(headers)) expect(typeof value).toBe('string');
  });
});
