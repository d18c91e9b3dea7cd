import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/auth/apiKeyFormat.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulatorServer.js';
import { spawnGateway, type SpawnedGateway } from '../support/spawnGateway.js';
import { clearRedisPrefix, createPostgresSchema, REDIS_URL, uniqueRedisPrefix } from './limitsTestSupport.js';
import { uniqueSpillPath } from '../store/support/testDatabases.js';

/**
 * Two gateway processes sharing Postgres (store, ledger) and Redis (limits, budget counters): limits and budgets
 * hold across both, not per replica. Then two sharing only Postgres: budgets hold through row-locking transactions.
 */
const PARALLEL = 200;
/** Each reply is 12 completion tokens at $1.5 per 1M and prompts are free, so a request costs exactly 18 micro-USD, its maximum. */
const REQUEST_MICROS = 18;
const BUDGET_KEY = generateApiKey('test');
const RPM_KEY = generateApiKey('test');

let simulator: Simulator;
const dropSchemas: (() => Promise<void>)[] = [];
const prefix = uniqueRedisPrefix();
const gateways: SpawnedGateway[] = [];
const postgresOnly: SpawnedGateway[] = [];

async function gatewayConfig(redis: boolean): Promise<Record<string, unknown>> {
  const schema = await createPostgresSchema();
  dropSchemas.push(schema.drop);
  return {
    catalog: 'none',
    store: schema.store,
    ledger: { spill_path: uniqueSpillPath() },
    ...(redis ? { redis: REDIS_URL, redis_key_prefix: prefix } : {}),
    logging: { level: 'info' },
    keys: [
      { name: 'budgeted', key: BUDGET_KEY, budgets: [{ period: 'daily', limit_usd: (10 * REQUEST_MICROS) / 1_000_000 }] },
      { name: 'rpm', key: RPM_KEY, rate_limit_rpm: 20 },
    ],
    providers: [{ id: 'sim', type: 'openai', base_url: simulator.profileUrl('sim') }],
    models: [{ id: 'shared', offers: [{ provider: 'sim', upstream_model: 'sim-shared', price: { input: 0, output: 1.5 } }] }],
  };
}

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'sim', defaults: { ttftMs: 30 } }] });
  const shared = await gatewayConfig(true);
  const pgOnly = await gatewayConfig(false);
  // One after the other per pair: the first applies the store's migrations.
  gateways.push(await spawnGateway(shared));
  gateways.push(await spawnGateway(shared));
  postgresOnly.push(await spawnGateway(pgOnly));
  postgresOnly.push(await spawnGateway(pgOnly));
}, 60_000);

afterAll(async () => {
  await Promise.all([...gateways, ...postgresOnly].map((gateway) => gateway.stop()));
  await simulator?.close();
  for (const drop of dropSchemas) await drop();
  await clearRedisPrefix(prefix);
});

async function chat(gateway: SpawnedGateway, key: string): Promise<{ status: number; code: unknown }> {
  const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'shared', max_completion_tokens: 12, messages: [{ role: 'user', content: 'Hello' }] }),
  });
  const body = (await response.json()) as { error?: { code?: unknown } };
  return { status: response.status, code: body.error?.code };
}

async function burst(pair: SpawnedGateway[], key: string): Promise<{ status: number; code: unknown }[]> {
  return Promise.all(Array.from({ length: PARALLEL }, (_, index) => chat(pair[index % 2] as SpawnedGateway, key)));
}

function upstreamRequests(): number {
  return simulator.requests.filter((request) => request.profile === 'sim').length;
}

async function expectBudgetHeld(pair: SpawnedGateway[]): Promise<void> {
  const before = upstreamRequests();
  const results = await burst(pair, BUDGET_KEY);
  const served = results.filter((result) => result.status === 200).length;
  expect(served).toBeGreaterThanOrEqual(10);
  expect(served).toBeLessThanOrEqual(11);
  expect(results.filter((result) => result.status !== 200).every((result) => result.status === 429 && result.code === 'budget_exhausted')).toBe(true);
  // No refused request reached the provider.
  expect(upstreamRequests() - before).toBe(served);
}

describe('two gateway processes sharing Postgres and Redis', () => {
  it(`serve at most 11 of ${PARALLEL} parallel requests against a budget worth 10`, async () => {
    await expectBudgetHeld(gateways);
  }, 60_000);

  it(`serve at most 20 of ${PARALLEL} parallel requests at rate_limit_rpm 20`, async () => {
    const results = await burst(gateways, RPM_KEY);
    const served = results.filter((result) => result.status === 200).length;
    expect(served).toBeLessThanOrEqual(20);
    expect(served).toBe(20);
    expect(results.filter((result) => result.status !== 200).every((result) => result.status === 429 && result.code === 'rate_limit_exceeded')).toBe(true);
  }, 60_000);
});

describe('two gateway processes sharing only Postgres (no Redis)', () => {
  it(`serve at most 11 of ${PARALLEL} parallel requests against a budget worth 10`, async () => {
    await expectBudgetHeld(postgresOnly);
  }, 60_000);
});
