import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { ConfigInput, ModelConfig, OfferConfig, ProviderType } from '../../src/config/configSchema.js';
import { parseConfig } from '../../src/config/parseConfig.js';
import { createGateway, type Gateway, type GatewayOverrides } from '../../src/createGateway.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { startSimulator, type Simulator, type SimulatorProfile } from '../../src/simulator/simulatorServer.js';

export const TEST_API_KEY = 'ak_test_' + 'T'.repeat(16) + 'e'.repeat(16) + 's'.repeat(8);

export interface StackOfferSpec {
  profile: string;
  price: { input: number; output: number; cache_read?: number; cache_write?: number };
  upstreamModel?: string;
  /** Provider type of the profile's provider (default `openai`); the simulator speaks its protocol (OpenAI, Anthropic or Gemini). */
  type?: ProviderType;
  capabilities?: OfferConfig['capabilities'];
}

export interface StackOptions {
  profiles?: SimulatorProfile[];
  /** Model id → offers on simulator profiles; default: `test-model` on one profile `alpha`. */
  models?: Record<string, StackOfferSpec[]>;
  /** The api_key configured for a profile's provider, when it should differ from the profile's own key ('' = none: BYOK only). */
  providerKeys?: Record<string, string>;
  /** Extra config merged over the generated one. */
  config?: Partial<ConfigInput>;
  overrides?: GatewayOverrides;
  /** Extra fields merged into the generated provider entry of a profile (timeouts, api_key, headers). */
  providerConfig?: Record<string, Partial<ProviderConfigInput>>;
  /** Environment for `${VAR}` references in the config (default: empty). */
  env?: Record<string, string | undefined>;
}

type ProviderConfigInput = NonNullable<ConfigInput['providers']>[number];

/** Provider types whose base_url is the profile root (their adapter adds its own version path, e.g. `/v1/messages`). */
const NATIVE_ROOT_TYPES: ReadonlySet<ProviderType> = new Set<ProviderType>(['anthropic', 'gemini']);

export interface Stack {
  baseUrl: string;
  apiKey: string;
  simulator: Simulator;
  gateway: Gateway;
  /** Every log line the gateway wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log text, to check that secrets never appear. */
  rawLogs: () => string;
  close(): Promise<void>;
}

/** A simulator and a gateway configured against it, both on port 0, with logs captured in memory. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const profiles = options.profiles ?? [{ id: 'alpha' }];
  const simulator = await startSimulator({ profiles });
  const models = options.models ?? { 'test-model': [{ profile: profiles[0]?.id ?? 'alpha', price: { input: 1, output: 2 } }] };
  const providerTypes = new Map<string, ProviderType>();
  const modelConfigs: ModelConfig[] = Object.entries(models).map(([id, offers]) => ({
    id,
    offers: offers.map((offer) => {
      providerTypes.set(offer.profile, offer.type ?? providerTypes.get(offer.profile) ?? 'openai');
      return { provider: offer.profile, upstream_model: offer.upstreamModel ?? `sim-${id}`, price: offer.price, ...(offer.capabilities === undefined ? {} : { capabilities: offer.capabilities }) };
    }),
  }));
  const config = parseConfig(
    {
      catalog: 'none',
      // Each stack gets its own in-memory store unless a test names one (the default file would be shared by parallel tests).
      store: 'sqlite::memory:',
      keys: [{ name: 'test', key: TEST_API_KEY }],
      providers: profiles.map((profile) => ({
        id: profile.id,
        type: providerTypes.get(profile.id) ?? 'openai',
        base_url: NATIVE_ROOT_TYPES.has(providerTypes.get(profile.id) ?? 'openai') ? simulator.profileRoot(profile.id) : simulator.profileUrl(profile.id),
        ...(options.providerKeys?.[profile.id] !== undefined
          ? { api_key: options.providerKeys[profile.id] }
          : profile.apiKey === undefined
            ? {}
            : { api_key: profile.apiKey }),
        ...options.providerConfig?.[profile.id],
      })),
      models: modelConfigs,
      ...options.config,
    },
    options.env ?? {},
    'test config',
  );
  let raw = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger('info', sink);
  const gateway = createGateway(config, { logger, ...options.overrides });
  await gateway.start();
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gateway.app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    apiKey: TEST_API_KEY,
    simulator,
    gateway,
    get logs() {
      return raw
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs: () => raw,
    close: async () => {
      await gateway.close();
      await simulator.close();
    },
  };
}
