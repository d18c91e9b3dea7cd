import type OpenAI from 'openai';
import { APIError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Behaviour } from '../../src/simulator/simulatorServer.js';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, MESSAGES, OPENAI_PROTOCOL_TYPES, postRaw, sseData } from './conformanceSupport.js';

/** Runs `action` and returns what it threw; fails the test when it did not throw. */
async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** The envelope fields the client exposes, which must match the contract's flat error object (§8). */
function envelope(error: APIError) {
  return { status: error.status, code: error.code, param: error.param, type: error.type };
}

describe.each(OPENAI_PROTOCOL_TYPES)('errors as the official client sees them (%s provider)', (type) => {
  let stack: Stack;
  let client: OpenAI;

  // A fresh stack per test: failures open circuit breakers and Retry-After fences offers off, which would leak.
  beforeEach(async () => {
    const price = { input: 1, output: 2 };
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'beta' }],
      models: {
        'test-model': [{ profile: 'alpha', price, type }],
        // Two offers, both rate limited below: the error after the last one must still carry Retry-After.
        limited: [
          { profile: 'alpha', price, type, upstreamModel: 'sim-limited' },
          { profile: 'beta', price: { input: 5, output: 10 }, type, upstreamModel: 'sim-limited' },
        ],
      },
      // Never explore: the cheaper offer is always tried first, so the order of attempts is known.
      overrides: { random: () => 0.5 },
    });
    client = clientFor(stack);
  });
  afterEach(async () => {
    await closeStack(stack);
  });

  it('a missing key is an AuthenticationError (401 invalid_api_key)', async () => {
    const error = await caught(() => client.chat.completions.create({ model: 'test-model', messages: MESSAGES }, { headers: { authorization: null } }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(envelope(error as APIError)).toEqual({ status: 401, code: 'invalid_api_key', param: null, type: 'authentication_error' });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it.each([
    ['an unknown', 'ak_test_' + 'u'.repeat(40)],
    ['a malformed', 'sk-not-a-gateway-key'],
  ])('%s key is an AuthenticationError (401 invalid_api_key)', async (_kind, apiKey) => {
    const error = await caught(() => clientFor(stack, { apiKey }).chat.completions.create({ model: 'test-model', messages: MESSAGES }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(envelope(error as APIError)).toEqual({ status: 401, code: 'invalid_api_key', param: null, type: 'authentication_error' });
    expect((error as APIError).headers?.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('an unknown model is a NotFoundError (404 model_not_found, param model)', async () => {
    const error = await caught(() => client.chat.completions.create({ model: 'no-such-model', messages: MESSAGES }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(envelope(error as APIError)).toEqual({ status: 404, code: 'model_not_found', param: 'model', type: 'not_found_error' });
  });

  it('an out-of-range parameter is a BadRequestError (400 invalid_parameter_value, param temperature)', async () => {
    const error = await caught(() => client.chat.completions.create({ model: 'test-model', messages: MESSAGES, temperature: 3 }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(envelope(error as APIError)).toEqual({ status: 400, code: 'invalid_parameter_value', param: 'temperature', type: 'invalid_request_error' });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it.each([false, true])('an upstream 429 on every offer is a RateLimitError with Retry-After (stream: %s)', async (stream) => {
    stack.simulator.script({ match: { model: 'sim-limited' }, behaviour: { status: 429, retryAfter: 7 } });
    const error = await caught(() => client.chat.completions.create({ model: 'limited', messages: MESSAGES, stream }));
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(envelope(rateLimit)).toEqual({ status: 429, code: 'rate_limit_exceeded', param: null, type: 'rate_limit_error' });
    expect(rateLimit.headers.get('retry-after')).toBe('7');
    expect(rateLimit.headers.get('x-error-provider')).toBe('beta');
    expect(rateLimit.headers.get('x-error-retryable')).toBe('true');
    expect(rateLimit.headers.get('x-rate-limit-source')).toBe('provider');
    expect((rateLimit.error as { provider?: string }).provider).toBe('beta');
    // Both offers were tried, cheapest first.
    expect(stack.simulator.requests.map((request) => request.profile)).toEqual(['alpha', 'beta']);
  });

  // The role chunk goes out at once and the rest 50 ms later, so the fault arrives after the gateway has started the
  // stream (a fault in the very first upstream read may still fall back); each lets exactly two content chunks through.
  const midStreamFaults: [string, Partial<Behaviour>][] = [
    ['an upstream error event', { headersFirst: true, ttftMs: 50, streamErrorAt: 2 }],
    ['a connection cut', { headersFirst: true, ttftMs: 50, stopAfterChunks: 2 }],
    ['a malformed chunk', { headersFirst: true, ttftMs: 50, malformedChunkAt: 3 }],
  ];

  it.each(midStreamFaults)('%s after the stream started makes the client throw an APIError while iterating', async (_name, behaviour) => {
    stack.simulator.script({ behaviour, times: 1 });
    const stream = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES, stream: true });
    let content = '';
    const error = await caught(async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    });
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).code).toBe('upstream_error');
    expect((error as APIError).type).toBe('api_error');
    expect((error as APIError).error).toMatchObject({ provider: 'alpha' });
    // Two content chunks got through before the fault; the fault is not retried elsewhere.
    expect(content).toBe('This is');
    expect(stack.simulator.requests).toHaveLength(1);
  });

  it.each(midStreamFaults)('%s ends the raw stream with a data: {"error"} event and no [DONE]', async (_name, behaviour) => {
    stack.simulator.script({ behaviour, times: 1 });
    const raw = await postRaw(stack, { model: 'test-model', messages: MESSAGES, stream: true });
    expect(raw.status).toBe(200);
    const payloads = sseData(raw.text);
    expect(payloads).not.toContain('[DONE]');
    const last = JSON.parse(payloads.at(-1)!) as { error?: Record<string, unknown> };
    expect(last.error).toMatchObject({ type: 'api_error', code: 'upstream_error', param: null, provider: 'alpha' });
    expect(typeof last.error?.message).toBe('string');
    expect(payloads.filter((payload) => payload.includes('"error"'))).toHaveLength(1);
  });
});
