import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOfferHealth } from '../../src/routing/memoryOfferHealth.js';
import { seededRandom } from '../../src/routing/seededRandom.js';
import { startStack, type Stack } from '../support/startStack.js';

interface Served {
  status: number;
  provider: string | undefined;
  body: Record<string, unknown>;
}

async function chat(stack: Stack, body: Record<string, unknown>): Promise<Served> {
  const response = await fetch(`${stack.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'shared', messages: [{ role: 'user', content: 'Hello' }], ...body }),
  });
  const text = await response.text();
  if (body.stream === true && response.status === 200) {
    const payloads = text.split('\n\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
    const last = payloads.at(-1) ?? {};
    const metadata = last.routing_metadata as { provider?: string } | undefined;
    return { status: response.status, provider: metadata?.provider, body: last };
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return { status: response.status, provider: (parsed.routing_metadata as { provider?: string } | undefined)?.provider, body: parsed };
}

async function countProviders(stack: Stack, runs: number, body: Record<string, unknown>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let index = 0; index < runs; index++) {
    const served = await chat(stack, body);
    expect(served.status).toBe(200);
    counts.set(served.provider ?? '?', (counts.get(served.provider ?? '?') ?? 0) + 1);
  }
  return counts;
}

const THREE_PROVIDERS = {
  profiles: [
    { id: 'quick', defaults: { ttftMs: 5, tokensPerSecond: 0, completionTokens: 8 } },
    { id: 'middle', defaults: { ttftMs: 60, tokensPerSecond: 0, completionTokens: 8 } },
    { id: 'slow', defaults: { ttftMs: 120, tokensPerSecond: 0, completionTokens: 8 } },
  ],
  models: {
    shared: [
      { profile: 'quick', price: { input: 5, output: 20 } },
      { profile: 'middle', price: { input: 0.1, output: 0.2 } },
      { profile: 'slow', price: { input: 1, output: 2 } },
    ],
  },
};

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('routing on live measurements', () => {
  it('ttft-focus lands on the provider that answers first, after a short warm-up', async () => {
    stack = await startStack({ ...THREE_PROVIDERS, overrides: { random: seededRandom(3) } });
    await countProviders(stack, 15, { stream: true, gateway: { routing: { optimize: 'ttft-focus' } } });
    const counts = await countProviders(stack, 40, { stream: true, gateway: { routing: { optimize: 'ttft-focus' } } });
    expect(counts.get('quick') ?? 0).toBeGreaterThanOrEqual(36);
  });

  it('cost-focus lands on the cheapest provider', async () => {
    stack = await startStack({ ...THREE_PROVIDERS, overrides: { random: seededRandom(4) } });
    const counts = await countProviders(stack, 30, {});
    expect(counts.get('middle') ?? 0).toBeGreaterThanOrEqual(27);
  });

  it('tps-focus lands on the highest throughput', async () => {
    stack = await startStack({
      profiles: [
        { id: 'steady', defaults: { ttftMs: 5, tokensPerSecond: 400, completionTokens: 20 } },
        { id: 'sluggish', defaults: { ttftMs: 5, tokensPerSecond: 80, completionTokens: 20 } },
      ],
      models: { shared: [{ profile: 'steady', price: { input: 5, output: 5 } }, { profile: 'sluggish', price: { input: 1, output: 1 } }] },
      overrides: { random: seededRandom(5) },
    });
    await countProviders(stack, 10, { stream: true, gateway: { routing: { optimize: 'tps-focus' } } });
    const counts = await countProviders(stack, 30, { stream: true, gateway: { routing: { optimize: 'tps-focus' } } });
    expect(counts.get('steady') ?? 0).toBeGreaterThanOrEqual(27);
  });

  it('fences off a failing provider within a few requests and readmits it after recovery', async () => {
    const health = new MemoryOfferHealth({ failureThreshold: 3, coolDownMs: 300, maxCoolDownMs: 1_000, probeTimeoutMs: 5_000 });
    stack = await startStack({
      profiles: [{ id: 'flaky' }, { id: 'backup' }],
      models: { shared: [{ profile: 'flaky', price: { input: 0.1, output: 0.1 } }, { profile: 'backup', price: { input: 9, output: 9 } }] },
      overrides: { health, random: seededRandom(6) },
    });
    stack.simulator.script({ match: { profile: 'flaky' }, behaviour: { status: 503 } });
    for (let index = 0; index < 6; index++) expect((await chat(stack, {})).provider).toBe('backup');
    const flakyAttempts = () => stack!.simulator.requests.filter((request) => request.profile === 'flaky').length;
    expect(flakyAttempts()).toBe(3);
    const directory = (await (await fetch(`${stack.baseUrl}/v1/directory/models`)).json()) as { data: { offers: { provider: string; breaker: { state: string } }[] }[] };
    expect(directory.data[0]?.offers.find((offer) => offer.provider === 'flaky')?.breaker.state).toBe('open');

    stack.simulator.clearScripts();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await chat(stack, {})).provider).toBe('flaky');
    expect((await chat(stack, {})).provider).toBe('flaky');
  });

  it('honours a 429 Retry-After from the provider', async () => {
    stack = await startStack({
      profiles: [{ id: 'limited' }, { id: 'backup' }],
      models: { shared: [{ profile: 'limited', price: { input: 0.1, output: 0.1 } }, { profile: 'backup', price: { input: 9, output: 9 } }] },
      overrides: { random: seededRandom(7) },
    });
    stack.simulator.script({ match: { profile: 'limited' }, behaviour: { status: 429, retryAfter: 1 }, times: 1 });
    const first = await chat(stack, {});
    expect(first.provider).toBe('backup');
    expect((first.body.routing_metadata as { attempts?: unknown[] }).attempts).toHaveLength(2);
    expect((await chat(stack, {})).provider).toBe('backup');
    expect(stack.simulator.requests.filter((request) => request.profile === 'limited')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await chat(stack, {})).provider).toBe('limited');
  });

  it('drops a parameter an offer does not take, with a warning, and filters with require_parameters', async () => {
    stack = await startStack({
      profiles: [{ id: 'plain' }],
      models: { shared: [{ profile: 'plain', price: { input: 1, output: 1 } }] },
      config: {
        models: [{ id: 'shared', offers: [{ provider: 'plain', upstream_model: 'sim-shared', price: { input: 1, output: 1 }, supported_parameters: ['temperature'] }] }],
      },
    });
    const served = await chat(stack, { seed: 7, temperature: 0.5 });
    expect(served.status).toBe(200);
    const warnings = (served.body.routing_metadata as { warnings?: { code: string; param?: string }[] }).warnings ?? [];
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'unsupported_parameter', param: 'seed' }));
    const upstream = stack.simulator.requests.at(-1)?.body as Record<string, unknown>;
    expect(upstream.seed).toBeUndefined();
    expect(upstream.temperature).toBe(0.5);
    const strict = await chat(stack, { seed: 7, gateway: { routing: { require_parameters: true } } });
    expect(strict.status).toBe(400);
    expect((strict.body.error as { code: string }).code).toBe('required_params_not_supported');
  });

  it('uses a caller key (BYOK) for its provider and never logs it', async () => {
    stack = await startStack({
      profiles: [{ id: 'keyed', apiKey: 'sk-caller-secret-123' }],
      models: { shared: [{ profile: 'keyed', price: { input: 1, output: 1 } }] },
      providerKeys: { keyed: '' },
    });
    const withoutKey = await chat(stack, {});
    expect(withoutKey.status).toBe(400);
    expect((withoutKey.body.error as { code: string }).code).toBe('byok_keys_required');
    const headers = { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', 'x-provider-key-keyed': 'sk-caller-secret-123' };
    const body = JSON.stringify({ model: 'shared', messages: [{ role: 'user', content: 'hi' }] });
    const response = await fetch(`${stack.baseUrl}/v1/chat/completions`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(stack.simulator.requests.at(-1)?.headers.authorization).toBe('Bearer sk-caller-secret-123');
    const refused = await fetch(`${stack.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'x-provider-key-keyed': 'sk-wrong' }, body });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('provider_auth_error');
    expect(stack.rawLogs()).not.toContain('sk-caller-secret-123');
    expect(stack.rawLogs()).not.toContain('sk-wrong');
  });
});
