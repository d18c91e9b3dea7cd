import type { ConfigInput } from '../src/config/configSchema.js';
import { BENCH_MODEL, BENCH_UPSTREAM_MODEL, SIMULATOR_PROFILE } from './benchConstants.js';
import { buildBenchConfig, type BenchConfigOptions } from './buildBenchConfig.js';

export const ROUTING_OFFER_COUNT = 20;

/** `sim-01` … `sim-20`. */
export function routingProviderId(index: number): string {
  return `sim-${String(index + 1).padStart(2, '0')}`;
}

const ALL_PARAMETERS = ['temperature', 'top_p', 'max_completion_tokens', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'user'] as const;

/**
 * The default config with 20 openai-type providers (all on the simulator's bench profile) offering the bench
 * model at rising prices, with mixed data policies, tiers, parameter lists and starting performance figures,
 * so that every constraint of `routingRequestBody` has something to filter.
 */
export function buildRoutingConfig(options: BenchConfigOptions): ConfigInput {
  const indexes = Array.from({ length: ROUTING_OFFER_COUNT }, (_, index) => index);
  return {
    ...buildBenchConfig(options),
    providers: indexes.map((index) => ({
      id: routingProviderId(index),
      type: 'openai' as const,
      base_url: `${options.simulatorUrl}/p/${SIMULATOR_PROFILE}/v1`,
      api_key: `sk-bench-upstream-${index + 1}`,
    })),
    models: [
      {
        id: BENCH_MODEL,
        offers: indexes.map((index) => ({
          provider: routingProviderId(index),
          upstream_model: BENCH_UPSTREAM_MODEL,
          // Mean of input and output per 1M tokens: 0.25 + 0.125 × index.
          price: { input: 0.1 + 0.05 * index, output: 0.4 + 0.2 * index },
          context_window: 128_000,
          max_output_tokens: 4_096,
          data_policy: index % 4 === 3 ? ('training' as const) : index % 2 === 0 ? ('zdr' as const) : ('no_training' as const),
          tier: index % 5 === 4 ? ('priority' as const) : ('standard' as const),
          supported_parameters: index === 12 ? ALL_PARAMETERS.filter((name) => name !== 'temperature') : [...ALL_PARAMETERS],
          expect: { ttft_ms: 40 + 5 * index, tps: 300 - 5 * index },
        })),
      },
    ],
  };
}
