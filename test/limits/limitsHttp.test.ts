import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryOfferStats } from '../../src/routing/memoryOfferStats.js';
import { LocalStoreEvents } from '../../src/store/storeEvents.js';
import { startStack, type Stack, type StackOptions } from '../support/startStack.js';
import { TEST_API_KEY } from '../support/startStack.js';
import { REDIS_URL, clearRedisPrefix, uniqueRedisPrefix } from './limitsTestSupport.js';

let stack: Stack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type KeyOptions = Record<string, unknown>;

async function start(key: KeyOptions, options: StackOptions = {}): Promise<Stack> {
  // An in-memory store: a ledger shared with earlier runs would start the budget counters from their spend.
  stack = await startStack({ ...options, config: { store: 'sqlite::memory:', keys: [{ name: 'test', key: TEST_API_KEY, ...key }], ...options.config } });
  return stack;
}

async function chat(target: Stack, body: Record<string, unknown> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${target.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: 'Hello' }], ...body }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function errorCode(body: string): unknown {
  return (JSON.parse(body) as { error: { code: unknown } }).error.code;
}

describe('rate limits over HTTP', () => {
  it('sends X-RateLimit-* on successes (streamed too) and a 429 with Retry-After when the key is over its RPM', async () => {
    const target = await start({ rate_limit_rpm: 2 });
    const first = await chat(target);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+(\.\d+)?s|1m0s)$/);
    expect(first.headers.get('x-rate-limit-source')).toBe('gateway');
    const streamed = await chat(target, { stream: true });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(streamed.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const refused = await chat(target);
    expect(refused.status).toBe(429);
    expect(errorCode(refused.body)).toBe('rate_limit_exceeded');
    expect(JSON.parse(refused.body)).toMatchObject({ error: { type: 'rate_limit_error', param: null } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(refused.headers.get('x-rate-limit-source')).toBe('gateway');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refused.headers.get('x-error-retryable')).toBe('true');
    // The refused request never reached the provider.
    expect(target.simulator.requests).toHaveLength(2);
  });

  it('refuses a second request in flight with concurrent_requests_exceeded', async () => {
    const target = await start({ max_concurrent: 1 }, { profiles: [{ id: 'alpha', defaults: { ttftMs: 300 } }] });
    const [a, b] = await Promise.all([chat(target), new Promise((resolve) => setTimeout(resolve, 100)).then(() => chat(target))]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(429);
    expect(errorCode(b.body)).toBe('concurrent_requests_exceeded');
    expect(b.headers.get('retry-after')).toBe('1');
    // The slot is freed when the request ends.
    expect((await chat(target)).status).toBe(200);
  });

  it('counts real tokens per minute and refuses with tokens_per_min_exceeded', async () => {
    const target = await start({ tokens_per_minute: 60 });
    const statuses: number[] = [];
    let refusedBody = '';
    for (let index = 0; index < 8 && !statuses.includes(429); index++) {
      const response = await chat(target);
      statuses.push(response.status);
      if (response.status === 429) refusedBody = response.body;
      else expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('60');
    }
    // Each request uses the prompt plus 12 completion tokens: a few fit in 60 tokens, not eight.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(errorCode(refusedBody)).toBe('tokens_per_min_exceeded');
  });
});

describe('budgets over HTTP', () => {
  it('reports the key budget in USD and refuses with budget_exhausted once it is spent', async () => {
    // test-model costs $1 / $2 per 1M tokens: a reply of 12 tokens is ~30 micro-USD, so $0.00005 lasts two requests at most.
    const target = await start({ budgets: [{ period: 'daily', limit_usd: 0.00005 }] });
    const first = await chat(target);
    expect(first.status, first.body).toBe(200);
    expect(first.headers.get('x-budget-daily-limit')).toBe('0.00005');
    expect(first.headers.get('x-budget-daily-spend')).toBe('0');
    let refused = await chat(target);
    if (refused.status === 200) {
      expect(Number(refused.headers.get('x-budget-daily-spend'))).toBeGreaterThan(0);
      refused = await chat(target);
    }
    expect(refused.status).toBe(429);
    expect(errorCode(refused.body)).toBe('budget_exhausted');
    expect(refused.headers.get('x-budget-exceeded')).toBe('true');
    expect(refused.headers.get('x-budget-exceeded-period')).toBe('daily');
    expect(refused.headers.get('x-budget-exceeded-scope')).toBe('key');
    expect(refused.headers.get('x-rate-limit-source')).toBe('gateway');
    expect(refused.headers.get('x-should-retry')).toBe('false');
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const expected = Math.ceil((midnight.getTime() - Date.now()) / 1000);
    expect(Math.abs(Number(refused.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(2);
  });

  it('names a global budget from limits.budgets as the refusing scope', async () => {
    const target = await start({}, { config: { limits: { budgets: [{ period: 'monthly', limit_usd: 0.00001 }] } } });
    expect((await chat(target)).status).toBe(200);
    const refused = await chat(target);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-budget-exceeded-scope')).toBe('global');
    expect(refused.headers.get('x-budget-exceeded-period')).toBe('monthly');
    expect(refused.headers.get('x-budget-monthly-limit')).toBeNull();
  });

  it('tracks an enforce: false budget past its limit without refusing', async () => {
    const target = await start({ budgets: [{ period: 'weekly', limit_usd: 0.00001, enforce: false }] });
    let spend = -1;
    for (let index = 0; index < 3; index++) {
      const response = await chat(target);
      expect(response.status).toBe(200);
      const reported = Number(response.headers.get('x-budget-weekly-spend'));
      expect(reported).toBeGreaterThan(spend);
      spend = reported;
    }
    expect(spend).toBeGreaterThan(0.00001);
  });
});

/** Only the limits use the unreachable Redis: the store's events and the routing share would wait for it at start too. */
const limitsOnlyRedis = () => ({ storeEvents: new LocalStoreEvents(), stats: new MemoryOfferStats() });

describe('Redis unreachable', () => {
  it('on_redis_failure: open serves, counts on this instance and exposes the failure metric', async () => {
    const target = await start({ rate_limit_rpm: 1 }, { config: { redis: 'redis://127.0.0.1:1', limits: { on_redis_failure: 'open' } }, overrides: limitsOnlyRedis() });
    const first = await chat(target);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect((await chat(target)).status).toBe(429);
    const metrics = await (await fetch(`${target.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_limits_redis_failures_total\{operation="admit"\} [1-9]/);
    expect(target.logs.some((line) => line.operation === 'admit' && String(line.msg).includes('Redis unreachable'))).toBe(true);
  });

  it('on_redis_failure: closed refuses with 503 model_unavailable', async () => {
    const target = await start({ rate_limit_rpm: 100 }, { config: { redis: 'redis://127.0.0.1:1', limits: { on_redis_failure: 'closed' } }, overrides: limitsOnlyRedis() });
    const refused = await chat(target);
    expect(refused.status).toBe(503);
    expect(errorCode(refused.body)).toBe('model_unavailable');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(target.simulator.requests).toHaveLength(0);
  });
});

describe('limits and budgets in Redis', () => {
  const prefix = uniqueRedisPrefix();
  afterAll(async () => {
    await clearRedisPrefix(prefix);
  });

  it('serve steady traffic out of slices and count each sync with Redis', async () => {
    const target = await start(
      { rate_limit_rpm: 1_000, tokens_per_minute: 1_000_000, max_concurrent: 10, budgets: [{ period: 'daily', limit_usd: 100 }] },
      { config: { redis: REDIS_URL, redis_key_prefix: prefix }, overrides: limitsOnlyRedis() },
    );
    const requests = 30;
    for (let index = 0; index < requests; index++) {
      const response = await chat(target);
      expect(response.status).toBe(200);
      expect(Number(response.headers.get('x-ratelimit-remaining-requests'))).toBe(1_000 - index - 1);
    }
    const metrics = await (await fetch(`${target.baseUrl}/metrics`)).text();
    const syncs = (counter: string) => Number(new RegExp(`switchyard_limits_redis_syncs_total\\{counter="${counter}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    // The first requests take the slices; the rest are admitted out of them.
    expect(syncs('limits')).toBeGreaterThanOrEqual(1);
    expect(syncs('limits')).toBeLessThan(requests / 2);
    expect(syncs('budgets')).toBeGreaterThanOrEqual(1);
  });
});
