import { benchRequestBody } from './benchRequestBody.js';
import { ROUTING_OFFER_COUNT, routingProviderId } from './buildRoutingConfig.js';

/**
 * The bench request with every routing option of contract §4.4 set, each satisfiable against `buildRoutingConfig`:
 * of the 20 offers, cost, data policy, allowlist, exclusions and require_parameters leave 8 (sim-03, 05, 06, 07,
 * 09, 11, 14, 15; the priority ones among them only because `tier` opts in); the performance floors and ceilings
 * hold for a 0 ms simulator; `prefer` names one of the survivors.
 */
export function routingRequestBody(stream: boolean): string {
  const body = JSON.parse(benchRequestBody(stream)) as Record<string, unknown>;
  const allowed = Array.from({ length: ROUTING_OFFER_COUNT }, (_, index) => routingProviderId(index)).filter((id) => id !== 'sim-10');
  body.gateway = {
    routing: {
      optimize: 'balanced',
      max_ttft_ms: 5_000,
      ttft_percentile: 'p95',
      min_throughput_tps: 10,
      throughput_percentile: 'p95',
      min_success_rate: 0.5,
      max_cost_per_1m: 2,
      providers: allowed,
      exclude: ['sim-01', 'sim-02'],
      prefer: ['sim-06'],
      data_policy: 'no_training',
      only_platform: true,
      require_parameters: true,
      allow_fallbacks: true,
      max_fallback_attempts: 3,
      tier: 'priority',
      deadline_ms: 30_000,
    },
  };
  return JSON.stringify(body);
}
