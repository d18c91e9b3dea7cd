import type { ConfigInput } from '../config/configSchema.js';

export interface DemoProvider {
  id: string;
  baseUrl: string;
}

/** Demo prices (USD per 1M tokens) and speeds per simulated provider: fast and dear, slow and cheap, in between. */
const DEMO_OFFERS: Record<string, { price: { input: number; output: number; cache_read: number }; expect: { ttft_ms: number; tps: number } }> = {
  swift: { price: { input: 3, output: 12, cache_read: 0.3 }, expect: { ttft_ms: 120, tps: 180 } },
  steady: { price: { input: 1, output: 4, cache_read: 0.1 }, expect: { ttft_ms: 300, tps: 90 } },
  thrifty: { price: { input: 0.2, output: 0.8, cache_read: 0.05 }, expect: { ttft_ms: 700, tps: 35 } },
};

/** The config of demo mode: the simulator's profiles as providers of two demo models, one demo key. */
export function demoConfig(options: { providers: DemoProvider[]; apiKey: string; host: string; port: number }): ConfigInput {
  const offersFor = (upstreamModel: string) =>
    options.providers.map((provider) => ({
      provider: `sim-${provider.id}`,
      upstream_model: upstreamModel,
      price: DEMO_OFFERS[provider.id]?.price ?? { input: 1, output: 1 },
      expect: DEMO_OFFERS[provider.id]?.expect,
      context_window: 128_000,
    }));
  return {
    listen: { host: options.host, port: options.port },
    catalog: 'none',
    keys: [{ name: 'demo', key: options.apiKey }],
    providers: options.providers.map((provider) => ({ id: `sim-${provider.id}`, type: 'openai' as const, base_url: provider.baseUrl })),
    models: [
      { id: 'demo-chat', aliases: ['demo'], owned_by: 'switchyard-demo', offers: offersFor('sim-chat') },
      { id: 'demo-reasoner', owned_by: 'switchyard-demo', offers: offersFor('sim-reasoner@reasoning=24') },
    ],
  };
}
