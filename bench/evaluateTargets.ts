import type { BenchResults } from './benchResults.js';

export interface TargetVerdict {
  description: string;
  /** Measured value: a percentage, or µs; undefined when its scenario did not run. */
  value: number | undefined;
  unit: '%' | 'µs';
  limit: number;
  /** undefined when not measured. */
  pass: boolean | undefined;
}

const MIN_THROUGHPUT_PERCENT = 70;
const MAX_ADDED_P50_MICROS = 150;

/** The performance targets, judged on one run's figures (informational: benchmarks never fail CI). */
export function evaluateTargets(results: BenchResults): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  for (const id of ['nonstream-32', 'stream-32']) {
    const load = results.load.find((entry) => entry.scenario.id === id);
    const gateway = load?.runs.gateway;
    const baseline = load?.runs.baseline;
    const value = gateway !== undefined && baseline !== undefined && baseline.requestsPerSecond > 0 ? (100 * gateway.requestsPerSecond) / baseline.requestsPerSecond : undefined;
    verdicts.push({
      description: `gateway throughput >= ${MIN_THROUGHPUT_PERCENT}% of baseline, ${load?.scenario.label ?? id}`,
      value,
      unit: '%',
      limit: MIN_THROUGHPUT_PERCENT,
      pass: value === undefined ? undefined : value >= MIN_THROUGHPUT_PERCENT,
    });
  }
  const sequential = results.addedLatency.find((entry) => entry.scenario.id === 'added-latency')?.result;
  const single = results.load.find((entry) => entry.scenario.id === 'nonstream-1');
  let value: number | undefined;
  let source = '';
  if (sequential !== undefined) {
    value = 1000 * (sequential.gateway.percentile(50) - sequential.baseline.percentile(50));
    source = 'sequential undici loop';
  } else if (single?.runs.gateway !== undefined && single.runs.baseline !== undefined) {
    value = 1000 * (single.runs.gateway.latency.percentile(50) - single.runs.baseline.latency.percentile(50));
    source = 'autocannon, 1 conn';
  }
  verdicts.push({
    description: `added p50 latency <= ${MAX_ADDED_P50_MICROS} µs, non-stream, 1 conn${source === '' ? '' : ` (${source})`}`,
    value,
    unit: 'µs',
    limit: MAX_ADDED_P50_MICROS,
    pass: value === undefined ? undefined : value <= MAX_ADDED_P50_MICROS,
  });
  return verdicts;
}
