import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/startStack.js';
import { chat, expectErrorEnvelope, http, USER_MESSAGE, type HttpResult } from './support/http.js';
import { startFourProfileStack, type Completion } from './support/stacks.js';

/** Enough requests for any routing policy to have tried a failing offer several times. */
const MAX_WARM_UP = 40;

describe('offers that keep failing are fenced off', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startFourProfileStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  const send = (model: string): Promise<HttpResult> => chat(stack, { model, messages: USER_MESSAGE });
  const failuresOn = (profile: string) => stack.simulator.requests.filter((upstream) => upstream.profile === profile && upstream.status === 500).length;

  it('after repeated failures, requests go straight to the healthy offer', async () => {
    stack.simulator.script({ match: { profile: 'alpha' }, behaviour: { status: 500 } });
    // Every request succeeds (alpha's failures fall back to beta) while alpha collects failures.
    for (let i = 0; i < MAX_WARM_UP && failuresOn('alpha') < 3; i++) {
      const result = await send('duo');
      expect(result.status, result.text).toBe(200);
      expect((result.json as Completion).routing_metadata.provider).toBe('beta');
    }
    expect(failuresOn('alpha')).toBeGreaterThanOrEqual(3);

    stack.simulator.clearRequests();
    for (let i = 0; i < 10; i++) {
      const result = await send('duo');
      expect(result.status).toBe(200);
      expect((result.json as Completion).routing_metadata.attempts).toBeUndefined();
    }
    expect(stack.simulator.requests.map((upstream) => upstream.profile)).toEqual(Array(10).fill('beta'));
  });

  it('the directory shows the fenced offer as unavailable', async () => {
    stack.simulator.script({ match: { profile: 'alpha' }, behaviour: { status: 503 } });
    for (let i = 0; i < 3; i++) await send('solo');
    const directory = await http(stack.baseUrl, 'GET', '/v1/directory/models');
    const solo = (directory.json as { data: { id: string; offers: Record<string, unknown>[] }[] }).data.find((model) => model.id === 'solo');
    const description = JSON.stringify(solo?.offers[0]);
    expect(description).toMatch(/"(available":false|state":"open")/);
  });

  it('when every offer is fenced off: 503 no_provider_available with Retry-After, and no upstream call', async () => {
    stack.simulator.script({ behaviour: { status: 500 } });
    let last: HttpResult | undefined;
    for (let i = 0; i < MAX_WARM_UP; i++) {
      last = await send('duo');
      if (last.status === 503) break;
      expectErrorEnvelope(last, 502, 'upstream_error');
    }
    const error = expectErrorEnvelope(last as HttpResult, 503, 'no_provider_available');
    expect(error.type).toBe('api_error');
    expect(Number((last as HttpResult).headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((last as HttpResult).headers['x-error-retryable']).toBe('true');

    stack.simulator.clearRequests();
    const again = await send('duo');
    expectErrorEnvelope(again, 503, 'no_provider_available');
    expect(stack.simulator.requests).toHaveLength(0);

    // Other models (other offers on the same providers) are not affected.
    stack.simulator.clearScripts();
    expect((await send('quad')).status).toBe(200);
  });

  it('a 429 with Retry-After fences the offer for that long', async () => {
    stack.simulator.script({ behaviour: { status: 429, retryAfter: 30 }, times: 1 });
    expectErrorEnvelope(await send('solo'), 429, 'rate_limit_exceeded');
    stack.simulator.clearRequests();
    const result = await send('solo');
    const error = expectErrorEnvelope(result, 503, 'no_provider_available');
    expect(error.code).toBe('no_provider_available');
    const retryAfter = Number(result.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(20);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  it('caller errors (400) never fence an offer', async () => {
    stack.simulator.script({ behaviour: { status: 400 }, times: 6 });
    for (let i = 0; i < 6; i++) expectErrorEnvelope(await send('solo'), 400, 'invalid_request');
    expect((await send('solo')).status).toBe(200);
  });
});
