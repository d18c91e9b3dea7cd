import { LatencySamples } from './latencySamples.js';
import type { LoadResult } from './runLoad.js';

/** Adds up several runs of the same scenario against the same target (rounds). */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const latency = new LatencySamples();
  const statusCodes: Record<string, number> = {};
  let requests = 0;
  let durationSeconds = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let processCpuMicros: LoadResult['processCpuMicros'];
  for (const result of results) {
    latency.addAll(result.latency);
    requests += result.requests;
    durationSeconds += result.durationSeconds;
    non2xx += result.non2xx;
    errors += result.errors;
    timeouts += result.timeouts;
    for (const [status, count] of Object.entries(result.statusCodes)) statusCodes[status] = (statusCodes[status] ?? 0) + count;
    if (result.processCpuMicros !== undefined) {
      processCpuMicros ??= { target: 0, simulator: 0 };
      processCpuMicros.target += result.processCpuMicros.target;
      processCpuMicros.simulator += result.processCpuMicros.simulator;
    }
  }
  return {
    requests,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? requests / durationSeconds : 0,
    latency,
    autocannonLatencyMs: results.flatMap((result) => result.autocannonLatencyMs),
    non2xx,
    errors,
    timeouts,
    statusCodes,
    ...(processCpuMicros === undefined ? {} : { processCpuMicros }),
  };
}
