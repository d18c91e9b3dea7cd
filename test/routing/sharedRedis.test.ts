import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/simulatorServer.js';
import { spawnGateway, type SpawnedGateway } from '../support/spawnGateway.js';
import { TEST_API_KEY } from '../support/startStack.js';

interface DirectoryOffer {
  provider: string;
  breaker: { state: string };
  live: { samples: number; ttft_ms_p50: number | null };
}

let simulator: Simulator;
const gateways: SpawnedGateway[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'flaky', defaults: { ttftMs: 5 } }, { id: 'backup', defaults: { ttftMs: 5 } }] });
  const config = {
    catalog: 'none',
    redis: 'redis://127.0.0.1:6379',
    redis_key_prefix: `switchyard-test:${randomUUID()}:`,
    logging: { level: 'info' },
    keys: [{ name: 'test', key: TEST_API_KEY }],
    providers: [
      { id: 'flaky', type: 'openai', base_url: simulator.profileUrl('flaky') },
      { id: 'backup', type: 'openai', base_url: simulator.profileUrl('backup') },
    ],
    models: [
      {
        id: 'shared',
        offers: [
          // Starting values make both offers "measured", so no exploration pick can skip the cheap one.
          { provider: 'flaky', upstream_model: 'sim-shared', price: { input: 0.1, output: 0.1 }, expect: { ttft_ms: 50, tps: 100 } },
          { provider: 'backup', upstream_model: 'sim-shared', price: { input: 5, output: 5 }, expect: { ttft_ms: 50, tps: 100 } },
        ],
      },
    ],
  };
  gateways.push(await spawnGateway(config), await spawnGateway(config));
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await simulator?.close();
});

async function chat(gateway: SpawnedGateway, stream: boolean): Promise<number> {
  const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'shared', stream, messages: [{ role: 'user', content: 'Hello' }] }),
  });
  await response.text();
  return response.status;
}

async function offers(gateway: SpawnedGateway): Promise<DirectoryOffer[]> {
  const directory = (await (await fetch(`${gateway.baseUrl}/v1/directory/models`)).json()) as { data: { offers: DirectoryOffer[] }[] };
  return directory.data[0]?.offers ?? [];
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two gateway processes sharing Redis', () => {
  it('see each other\'s measurements', async () => {
    const [first, second] = gateways as [SpawnedGateway, SpawnedGateway];
    for (let index = 0; index < 5; index++) expect(await chat(first, true)).toBe(200);
    const seen = await eventually(() => offers(second), (list) => (list.find((offer) => offer.provider === 'flaky')?.live.samples ?? 0) >= 5);
    const flaky = seen.find((offer) => offer.provider === 'flaky');
    expect(flaky?.live.samples).toBeGreaterThanOrEqual(5);
    expect(flaky?.live.ttft_ms_p50).not.toBeNull();
  });

  it('see each other\'s breaker state', async () => {
    const [first, second] = gateways as [SpawnedGateway, SpawnedGateway];
    simulator.script({ match: { profile: 'flaky' }, behaviour: { status: 503 } });
    for (let index = 0; index < 3; index++) expect(await chat(first, false)).toBe(200);
    const seen = await eventually(() => offers(second), (list) => list.find((offer) => offer.provider === 'flaky')?.breaker.state === 'open');
    expect(seen.find((offer) => offer.provider === 'flaky')?.breaker.state).toBe('open');
    const before = simulator.requests.filter((request) => request.profile === 'flaky').length;
    expect(await chat(second, false)).toBe(200);
    expect(simulator.requests.filter((request) => request.profile === 'flaky')).toHaveLength(before);
    simulator.clearScripts();
  });
});
