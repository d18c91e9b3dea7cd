import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Behaviour } from '../../src/simulator/simulatorServer.js';
import type { Stack } from '../support/startStack.js';
import { chat, expectErrorEnvelope, USER_MESSAGE } from './support/http.js';
import { startFourProfileStack, type Completion } from './support/stacks.js';

const CONTEXT_LENGTH: Partial<Behaviour> = {
  status: 400,
  errorType: 'invalid_request_error',
  errorCode: 'context_length_exceeded',
  errorMessage: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
};
const QUOTA: Partial<Behaviour> = {
  status: 429,
  errorType: 'insufficient_quota',
  errorCode: 'insufficient_quota',
  errorMessage: 'You exceeded your current quota, please check your plan and billing details.',
};

describe('upstream errors, end to end', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startFourProfileStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  const send = (model: string, extra: Record<string, unknown> = {}) => chat(stack, { model, messages: USER_MESSAGE, ...extra });
  const upstreamCount = () => stack.simulator.requests.length;

  describe('classification of a single offer failing', () => {
    it.each<[string, Partial<Behaviour>, number, string, boolean]>([
      ['400 context length', CONTEXT_LENGTH, 400, 'context_length_exceeded', false],
      ['401 from the provider', { status: 401 }, 502, 'upstream_error', false],
      ['403 from the provider', { status: 403 }, 502, 'upstream_error', false],
      ['404 model unknown upstream', { status: 404 }, 502, 'upstream_error', false],
      ['429 insufficient_quota', QUOTA, 502, 'upstream_error', false],
      ['429 rate limit', { status: 429 }, 429, 'rate_limit_exceeded', true],
      ['500', { status: 500 }, 502, 'upstream_error', true],
      ['502', { status: 502 }, 502, 'upstream_error', true],
      ['503', { status: 503 }, 503, 'model_unavailable', true],
      ['529 overloaded', { status: 529 }, 503, 'model_unavailable', true],
      ['408', { status: 408 }, 504, 'upstream_timeout', true],
      ['400 plain bad request', { status: 400, errorMessage: 'Unrecognized request argument supplied: foo' }, 400, 'invalid_request', false],
      ['a connection reset', { reset: 'before-headers' }, 502, 'upstream_error', true],
    ])('%s → %i %s', async (_name, behaviour, status, code, retryable) => {
      stack.simulator.script({ behaviour });
      const result = await send('solo');
      const error = expectErrorEnvelope(result, status, code);
      expect(error.provider).toBe('alpha');
      expect(result.headers['x-error-provider']).toBe('alpha');
      expect(result.headers['x-error-retryable']).toBe(String(retryable));
      expect(result.headers['x-error-type']).toBe(error.type);
      if (status === 429 || status === 503) expect(result.headers['retry-after']).toMatch(/^\d+$/);
      if (status === 429) expect(result.headers['x-rate-limit-source']).toBe('provider');
      expect(upstreamCount()).toBe(1);
    });

    it('keeps the provider message for a context-length error', async () => {
      stack.simulator.script({ behaviour: CONTEXT_LENGTH });
      const error = expectErrorEnvelope(await send('solo'), 400, 'context_length_exceeded');
      expect(error.message).toContain('maximum context length');
      expect(error.type).toBe('invalid_request_error');
    });

    it('passes Retry-After on (seconds and retry-after-ms rounded up)', async () => {
      stack.simulator.script({ behaviour: { status: 429, retryAfter: 7 }, times: 1 });
      const first = await send('solo');
      expectErrorEnvelope(first, 429, 'rate_limit_exceeded');
      expect(first.headers['retry-after']).toBe('7');

      stack.simulator.script({ behaviour: { status: 503, retryAfterMs: 2500 }, match: { model: 'sim-solo-b' }, times: 1 });
      const second = await send('solo-b');
      expectErrorEnvelope(second, 503, 'model_unavailable');
      expect(second.headers['retry-after']).toBe('3');
    });

    it('does not treat the provider 401 as the caller’s authentication error', async () => {
      stack.simulator.script({ behaviour: { status: 401, errorMessage: 'Incorrect API key provided: sk-abc***xyz.' } });
      const error = expectErrorEnvelope(await send('solo'), 502, 'upstream_error');
      expect(error.type).toBe('api_error');
      expect(error.message).not.toContain('sk-abc');
    });
  });

  describe('fallback to another offer', () => {
    it.each<[string, Partial<Behaviour>, string]>([
      ['429 insufficient_quota', QUOTA, 'upstream_error'],
      ['429 rate limit with Retry-After', { status: 429, retryAfter: 5 }, 'rate_limit_exceeded'],
      ['500', { status: 500 }, 'upstream_error'],
      ['503', { status: 503 }, 'model_unavailable'],
      ['529', { status: 529 }, 'model_unavailable'],
      ['401', { status: 401 }, 'upstream_error'],
      ['a connection reset', { reset: 'before-headers' }, 'upstream_error'],
      ['malformed JSON', { malformedChunkAt: 1 }, 'upstream_error'],
    ])('after %s the next offer serves, and routing_metadata tells', async (_name, behaviour, code) => {
      stack.simulator.script({ behaviour, times: 1 });
      const result = await send('duo');
      expect(result.status, result.text).toBe(200);
      const metadata = (result.json as Completion).routing_metadata;
      const [first, second] = stack.simulator.requests;
      expect(stack.simulator.requests).toHaveLength(2);
      expect(second?.profile).not.toBe(first?.profile);
      expect(metadata.provider).toBe(second?.profile);
      expect(metadata.attempts).toHaveLength(2);
      expect(metadata.attempts?.[0]).toMatchObject({ provider: first?.profile, code });
      expect(metadata.attempts?.[1]).toMatchObject({ provider: second?.profile, status: 200 });
      expect(metadata.warnings?.map((warning) => warning.code)).toContain('fallback_used');
    });

    it('falls back for streams too, before any byte reached the client', async () => {
      stack.simulator.script({ behaviour: { status: 500 }, times: 1 });
      const result = await send('duo', { stream: true });
      expect(result.status).toBe(200);
      expect(result.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(result.text).toContain('fallback_used');
      expect(result.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(stack.simulator.requests).toHaveLength(2);
    });

    it('does not fall back after a context-length error in pool mode', async () => {
      stack.simulator.script({ behaviour: CONTEXT_LENGTH, times: 1 });
      expectErrorEnvelope(await send('duo'), 400, 'context_length_exceeded');
      expect(upstreamCount()).toBe(1);
    });

    it('moves to the next model after a context-length error in fallback mode', async () => {
      stack.simulator.script({ behaviour: CONTEXT_LENGTH, match: { profile: 'alpha' } });
      const result = await chat(stack, { messages: USER_MESSAGE, gateway: { models: ['solo', 'solo-b'], mode: 'fallback' } });
      expect(result.status, result.text).toBe(200);
      expect((result.json as Completion).routing_metadata).toMatchObject({ provider: 'beta', model_canonical: 'solo-b' });
    });

    it('does not fall back for a plain 400 (the request is at fault)', async () => {
      stack.simulator.script({ behaviour: { status: 400 }, times: 1 });
      expectErrorEnvelope(await send('duo'), 400, 'invalid_request');
      expect(upstreamCount()).toBe(1);
    });

    it('returns 429 with Retry-After when every offer is rate limited', async () => {
      stack.simulator.script({ behaviour: { status: 429, retryAfter: 9 } });
      const result = await send('duo');
      const error = expectErrorEnvelope(result, 429, 'rate_limit_exceeded');
      expect(error.type).toBe('rate_limit_error');
      expect(result.headers['retry-after']).toBe('9');
      expect(result.headers['x-error-retryable']).toBe('true');
      expect(upstreamCount()).toBe(2);
      expect(result.headers['x-error-provider']).toBe(stack.simulator.requests[1]?.profile);
    });

    it('returns the quota error, not retryable, when every offer is out of quota', async () => {
      stack.simulator.script({ behaviour: QUOTA });
      const result = await send('duo');
      expectErrorEnvelope(result, 502, 'upstream_error');
      expect(result.headers['x-error-retryable']).toBe('false');
      expect(upstreamCount()).toBe(2);
    });
  });

  describe('how many attempts', () => {
    /** Each profile fails with its own status so the last error can be told apart. */
    function failEverywhere(): void {
      const statuses: Record<string, number> = { alpha: 500, beta: 503, gamma: 529, delta: 502 };
      for (const [profile, status] of Object.entries(statuses)) stack.simulator.script({ match: { profile }, behaviour: { status } });
    }
    const expectedCode: Record<string, string> = { alpha: 'upstream_error', beta: 'model_unavailable', gamma: 'model_unavailable', delta: 'upstream_error' };

    it.each([
      [undefined, 3],
      [0, 1],
      [1, 2],
      [3, 4],
      [10, 4],
    ])('max_fallback_attempts %s → %i attempts, and the last error is returned', async (maxFallbacks, attempts) => {
      failEverywhere();
      const routing = maxFallbacks === undefined ? {} : { max_fallback_attempts: maxFallbacks };
      const result = await send('quad', { gateway: { routing } });
      expect(upstreamCount()).toBe(attempts);
      const last = stack.simulator.requests.at(-1)?.profile as string;
      const error = expectErrorEnvelope(result, expectedCode[last] === 'upstream_error' ? 502 : 503, expectedCode[last] as string);
      expect(error.provider).toBe(last);
      expect(new Set(stack.simulator.requests.map((request) => request.profile)).size).toBe(attempts);
    });

    it('allow_fallbacks: false makes one attempt only', async () => {
      stack.simulator.script({ behaviour: { status: 500 }, times: 1 });
      const result = await send('duo', { gateway: { routing: { allow_fallbacks: false } } });
      expectErrorEnvelope(result, 502, 'upstream_error');
      expect(upstreamCount()).toBe(1);
    });

    it('the legacy top-level routing object is honoured too', async () => {
      stack.simulator.script({ behaviour: { status: 500 }, times: 1 });
      const result = await send('duo', { routing: { allow_fallbacks: false } });
      expectErrorEnvelope(result, 502, 'upstream_error');
      expect(upstreamCount()).toBe(1);
    });
  });
});
