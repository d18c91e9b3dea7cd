import type { BenchResults } from './benchResults.js';
import { evaluateTargets } from './evaluateTargets.js';
import { evaluateVariantComparisons } from './evaluateVariantComparisons.js';
import type { LatencySamples } from './latencySamples.js';
import type { LoadResult } from './runLoad.js';

/** Plain JSON for `--json`: latencies in µs (integers), throughput in req/s. */
export function benchResultsToJson(results: BenchResults): unknown {
  return {
    environment: results.environment,
    options: { ...results.options, scenarios: results.options.scenarios.map((scenario) => scenario.id) },
    requestBodyBytes: results.requestBodyBytes,
    load: results.load.map((entry) => ({
      scenario: entry.scenario.id,
      stream: entry.scenario.stream,
      connections: entry.scenario.connections,
      problems: entry.problems,
      gateway: entry.runs.gateway === undefined ? null : loadJson(entry.runs.gateway),
      baseline: entry.runs.baseline === undefined ? null : loadJson(entry.runs.baseline),
      throughputRatio:
        entry.runs.gateway !== undefined && entry.runs.baseline !== undefined ? entry.runs.gateway.requestsPerSecond / entry.runs.baseline.requestsPerSecond : null,
      addedP50Micros:
        entry.runs.gateway !== undefined && entry.runs.baseline !== undefined
          ? micros(entry.runs.gateway.latency.percentile(50) - entry.runs.baseline.latency.percentile(50))
          : null,
      gatewayCounters: entry.gatewayCounters ?? null,
      profiles: entry.profiles,
    })),
    addedLatency: results.addedLatency.map((entry) => ({
      scenario: entry.scenario.id,
      stream: entry.scenario.stream,
      problems: entry.problems,
      pairs: entry.result?.pairs ?? 0,
      gateway: entry.result === undefined ? null : { ...latencyJson(entry.result.gateway), non2xx: entry.result.non2xx.gateway },
      baseline: entry.result === undefined ? null : { ...latencyJson(entry.result.baseline), non2xx: entry.result.non2xx.baseline },
      addedP50Micros: entry.result === undefined ? null : micros(entry.result.gateway.percentile(50) - entry.result.baseline.percentile(50)),
      pairedDifferenceP50Micros: entry.result === undefined ? null : micros(entry.result.pairedDifference.percentile(50)),
      cpuMicrosPerRequest:
        entry.processCpuMicros === undefined || entry.result === undefined || entry.result.pairs === 0
          ? null
          : {
              gateway: Math.round(entry.processCpuMicros.gateway / entry.result.pairs),
              baseline: Math.round(entry.processCpuMicros.baseline / entry.result.pairs),
              simulator: Math.round(entry.processCpuMicros.simulator / (2 * entry.result.pairs)),
            },
      gatewayCounters: entry.gatewayCounters ?? null,
      profiles: entry.profiles,
    })),
    targets: evaluateTargets(results),
    variants: results.variants.map((variant) => ({
      variant: variant.variant,
      description: variant.description,
      error: variant.error ?? null,
      scenarios: variant.scenarios.map((entry) => ({
        scenario: entry.scenario.id,
        stream: entry.scenario.stream,
        connections: entry.scenario.connections,
        problems: entry.problems,
        gateway: entry.run === undefined ? null : loadJson(entry.run),
        gatewayCounters: entry.gatewayCounters ?? null,
        profile: entry.profile ?? null,
      })),
    })),
    variantComparisons: evaluateVariantComparisons(results.comparisons, results.variants).map((verdict) => ({
      ...verdict.comparison,
      variantRequestsPerSecond: rounded(verdict.variantRequestsPerSecond, 0),
      referenceRequestsPerSecond: rounded(verdict.referenceRequestsPerSecond, 0),
      ratioPercent: rounded(verdict.ratioPercent, 1),
      lossPercent: rounded(verdict.lossPercent, 1),
      gatewayCpuMicrosPerRequest: { variant: rounded(verdict.variantCpuMicrosPerRequest, 0), reference: rounded(verdict.referenceCpuMicrosPerRequest, 0) },
      pass: verdict.pass ?? null,
      notes: verdict.notes,
    })),
    gatewayLogBytes: results.gatewayLogBytes,
  };
}

function loadJson(run: LoadResult): Record<string, unknown> {
  return {
    requests: run.requests,
    durationSeconds: run.durationSeconds,
    requestsPerSecond: Math.round(run.requestsPerSecond),
    ...latencyJson(run.latency),
    autocannonLatencyMs: run.autocannonLatencyMs,
    non2xx: run.non2xx,
    errors: run.errors,
    timeouts: run.timeouts,
    statusCodes: run.statusCodes,
    cpuMicrosPerRequest:
      run.processCpuMicros === undefined || run.requests === 0
        ? null
        : { target: Math.round(run.processCpuMicros.target / run.requests), simulator: Math.round(run.processCpuMicros.simulator / run.requests) },
  };
}

function latencyJson(samples: LatencySamples): Record<string, number | null> {
  return {
    samples: samples.size,
    p50Micros: micros(samples.percentile(50)),
    p90Micros: micros(samples.percentile(90)),
    p99Micros: micros(samples.percentile(99)),
    meanMicros: micros(samples.mean()),
  };
}

function micros(milliseconds: number): number | null {
  return Number.isNaN(milliseconds) ? null : Math.round(milliseconds * 1000);
}

function rounded(value: number | undefined, digits: number): number | null {
  if (value === undefined) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
