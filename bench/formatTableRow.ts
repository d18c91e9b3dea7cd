import { formatLatency } from './formatLatency.js';
import type { LoadResult } from './runLoad.js';

/** One table line: the first two cells left-aligned (names), the rest right-aligned (figures), to the given widths. */
export function formatTableRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => {
      const width = widths[index] ?? 10;
      return index < 2 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(' ')
    .trimEnd();
}

/** CPU time per request in whole µs, or '' when not measured. */
export function cpuPerRequest(cpuMicros: number | undefined, requests: number): string {
  return cpuMicros === undefined || requests === 0 ? '' : `${Math.round(cpuMicros / requests)} µs`;
}

/** The figure cells both reports show for a timed run: req/s, p50, p99, CPU per request (target, simulator), non-2xx, errors. */
export function loadFigureCells(run: LoadResult): string[] {
  return [
    run.requestsPerSecond.toFixed(0),
    formatLatency(run.latency.percentile(50)),
    formatLatency(run.latency.percentile(99)),
    cpuPerRequest(run.processCpuMicros?.target, run.requests),
    cpuPerRequest(run.processCpuMicros?.simulator, run.requests),
    String(run.non2xx),
    String(run.errors + run.timeouts),
  ];
}
