import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/gatewayError.js';
import { toGatewayError } from './toGatewayError.js';

describe('toGatewayError', () => {
  it('returns a GatewayError as it is', () => {
    const error = new GatewayError(429, 'rate_limit_exceeded', 'slow down', { retryable: true, provider: 'openai' });
    expect(toGatewayError(error)).toBe(error);
  });

  it.each<[string, Error, number, string, RegExp]>([
    ['a body over the limit', new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'payload_too_large', /larger than this gateway accepts/],
    ['an empty JSON body', new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'invalid_request', /empty/],
    ['an unsupported media type', new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), 400, 'invalid_request', /Content-Type/],
    ['a wrong Content-Length', new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'invalid_request', /Content-Length/],
    ['invalid JSON from the JSON parser', new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'invalid_request', /^The request body is not valid JSON\.$/],
    ['a bad URL', new errorCodes.FST_ERR_BAD_URL('%zz'), 400, 'invalid_request', /^The request could not be read: '%zz' is not a valid url component$/],
  ])('maps %s (a Fastify error) to %i %s', (_name, error, status, code, message) => {
    const mapped = toGatewayError(error);
    expect(mapped).toBeInstanceOf(GatewayError);
    expect(mapped).toMatchObject({ status, code, retryable: false, param: null });
    expect(mapped.message).toMatch(message);
  });

  it('maps a JSON.parse SyntaxError to 400 invalid_request with the parser message', () => {
    let syntaxError: unknown;
    try {
      JSON.parse('{"model":');
    } catch (error) {
      syntaxError = error;
    }
    const mapped = toGatewayError(syntaxError);
    expect(mapped).toMatchObject({ status: 400, code: 'invalid_request', type: 'invalid_request_error' });
    expect(mapped.message).toMatch(/^The request body is not valid JSON: /);
  });

  it('maps a body cut short (a plain error with statusCode 400)', () => {
    const aborted = Object.assign(new Error('aborted'), { statusCode: 400 });
    expect(toGatewayError(aborted)).toMatchObject({ status: 400, code: 'invalid_request', message: 'The request could not be read: aborted' });
  });

  it.each<[string, unknown]>([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['an Error with a secret in its message', new Error('connect to postgres://user:hunter2@db failed')],
    ['a 500 framework error', Object.assign(new Error('boom'), { statusCode: 500 })],
    ['a string', 'oops'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('maps anything else (%s) to a 500 internal_error that hides the cause', (_name, error) => {
    const mapped = toGatewayError(error);
    expect(mapped).toMatchObject({ status: 500, code: 'internal_error', type: 'api_error', message: 'The gateway failed to process the request.' });
    expect(mapped.cause).toBe(error);
  });
});
