import type { BenchResults } from './benchResults.js';
import { COMPLETION_TOKENS, STREAM_CHUNKS } from './benchConstants.js';
import type { TargetName } from './benchTarget.js';
import { evaluateTargets } from './evaluateTargets.js';
import { formatLatency } from './formatLatency.js';
import { cpuPerRequest, formatTableRow, loadFigureCells } from './formatTableRow.js';
import { formatProfileSummary } from './formatProfileSummary.js';
import { formatVariantReport } from './formatVariantReport.js';
import { gatewayCounterLines } from './gatewayCounterLines.js';
import type { LoadResult } from './runLoad.js';

const TARGETS: readonly TargetName[] = ['gateway', 'baseline'];

/** The human-readable report: one table of figures, the ratios, the targets, the variants and their comparisons, then any profiles. */
export function formatReport(results: BenchResults): string {
  const { options, environment } = results;
  const lines: string[] = [];
  lines.push(
    `Switchyard benchmark: node ${environment.node}, ${environment.cpus} CPUs (${environment.cpuModel}), load average at start ${environment.loadAverage.map((value) => value.toFixed(2)).join(' ')}`,
    `${options.durationSeconds} s per timed run x ${options.rounds} round(s) per target, ${options.warmupSeconds} s warm-up; gateway log level ${options.logLevel}` +
      `${options.logLevel === 'info' ? ' (to a file)' : ''}${options.profileDir === undefined ? '' : '; CPU PROFILER ON (figures are lower than unprofiled)'}`,
    `Simulator: 0 ms latency, ${COMPLETION_TOKENS} tokens per reply (${STREAM_CHUNKS} content chunks when streaming); request body ${results.requestBodyBytes.nonStream} B (stream ${results.requestBodyBytes.stream} B)`,
    'Latencies: per request, request sent -> response complete (hrtime), every 2xx response of the timed run.',
    'CPU/req: user+system CPU time of the target process (sim: of the simulator) during the run, per request.',
    '"ac p50/p99": autocannon\'s own histogram, whole milliseconds. Gateway-side problems (its /metrics) are listed under a scenario;',
    'requests cut off when autocannon closes its connections at the end of a run (499, at most one per connection) are not problems.',
    '',
  );

  const header = row(['scenario', 'target', 'req/s', 'p50', 'p99', 'CPU/req', 'sim CPU/req', 'non-2xx', 'errors', 'ac p50/p99']);
  lines.push(header, '-'.repeat(header.length));
  for (const entry of results.load) {
    const failed = TARGETS.filter((target) => entry.problems[target].length > 0);
    if (failed.length > 0) {
      lines.push(row([entry.scenario.label, 'NOT TIMED']));
      for (const target of failed) lines.push(`    ${target} sample check failed: ${entry.problems[target].join('; ')}`);
      continue;
    }
    let label = entry.scenario.label;
    for (const target of TARGETS) {
      const run = entry.runs[target];
      if (run === undefined) continue;
      const autocannon = run.autocannonLatencyMs.map((figures) => `${figures.p50}/${figures.p99}`).join(' ') + ' ms';
      lines.push(
        row([
          label,
          target,
          ...loadFigureCells(run),
          autocannon,
        ]),
      );
      label = '';
    }
    const gateway = entry.runs.gateway;
    const baseline = entry.runs.baseline;
    if (gateway !== undefined && baseline !== undefined) {
      lines.push(
        row([
          '',
          'gw vs base',
          `${((100 * gateway.requestsPerSecond) / baseline.requestsPerSecond).toFixed(1)}%`,
          formatLatency(gateway.latency.percentile(50) - baseline.latency.percentile(50), true),
          formatLatency(gateway.latency.percentile(99) - baseline.latency.percentile(99), true),
          cpuDifference(gateway, baseline),
        ]),
      );
    }
    lines.push(...gatewayCounterLines(entry.gatewayCounters, entry.scenario.connections * options.rounds));
  }

  for (const entry of results.addedLatency) {
    lines.push('');
    const failed = TARGETS.filter((target) => entry.problems[target].length > 0);
    if (failed.length > 0 || entry.result === undefined) {
      lines.push(`${entry.scenario.label}: NOT MEASURED`);
      for (const target of failed) lines.push(`    ${target} sample check failed: ${entry.problems[target].join('; ')}`);
      continue;
    }
    const result = entry.result;
    lines.push(`${entry.scenario.label}: one keep-alive connection per target, requests interleaved gateway/baseline, ${result.pairs} pairs in ${result.durationSeconds.toFixed(1)} s`);
    for (const target of TARGETS) {
      const samples = result[target];
      lines.push(
        `    ${target.padEnd(9)} p50 ${formatLatency(samples.percentile(50)).padStart(9)}  p90 ${formatLatency(samples.percentile(90)).padStart(9)}  p99 ${formatLatency(samples.percentile(99)).padStart(9)}  non-2xx ${result.non2xx[target]}`,
      );
    }
    lines.push(
      `    added     p50 ${formatLatency(result.gateway.percentile(50) - result.baseline.percentile(50), true).padStart(9)}  ` +
        `p90 ${formatLatency(result.gateway.percentile(90) - result.baseline.percentile(90), true).padStart(9)}  ` +
        `p99 ${formatLatency(result.gateway.percentile(99) - result.baseline.percentile(99), true).padStart(9)}  ` +
        `(median of paired differences ${formatLatency(result.pairedDifference.percentile(50), true)})`,
    );
    const cpu = entry.processCpuMicros;
    if (cpu !== undefined && result.pairs > 0) {
      lines.push(
        `    CPU per request: gateway ${cpuPerRequest(cpu.gateway, result.pairs)}, baseline ${cpuPerRequest(cpu.baseline, result.pairs)}, ` +
          `simulator ${cpuPerRequest(cpu.simulator, 2 * result.pairs)}`,
      );
    }
    lines.push(...gatewayCounterLines(entry.gatewayCounters, 1));
  }

  lines.push('', 'Targets (informational; the benchmark never fails on them):');
  for (const verdict of evaluateTargets(results)) {
    const value = verdict.value === undefined ? 'not measured' : verdict.unit === '%' ? `${verdict.value.toFixed(1)}%` : `${verdict.value >= 0 ? '+' : ''}${verdict.value.toFixed(0)} µs`;
    const mark = verdict.pass === undefined ? '-   ' : verdict.pass ? 'PASS' : 'MISS';
    lines.push(`  ${mark}  ${verdict.description}: ${value}`);
  }
  if (options.logLevel === 'info') lines.push('', `Gateway log written: ${(results.gatewayLogBytes / 1024).toFixed(0)} KiB`);
  lines.push(...formatVariantReport(results));

  for (const entry of results.load) {
    for (const target of TARGETS) {
      const summary = entry.profiles[target];
      if (summary !== undefined) lines.push('', formatProfileSummary(`CPU profile: ${target}, ${entry.scenario.label}`, summary, entry.runs[target]?.requests));
    }
  }
  for (const entry of results.addedLatency) {
    for (const target of TARGETS) {
      const summary = entry.profiles[target];
      if (summary !== undefined) lines.push('', formatProfileSummary(`CPU profile: ${target}, ${entry.scenario.label}`, summary, entry.result?.pairs));
    }
  }
  for (const variant of results.variants) {
    for (const entry of variant.scenarios) {
      if (entry.profile !== undefined) {
        lines.push('', formatProfileSummary(`CPU profile: gateway ${variant.variant}, ${entry.scenario.label}`, entry.profile, entry.run?.requests));
      }
    }
  }
  return lines.join('\n') + '\n';
}

const WIDTHS = [22, 11, 7, 9, 9, 8, 11, 7, 6, 12];
const row = (cells: string[]): string => formatTableRow(cells, WIDTHS);



function cpuDifference(gateway: LoadResult, baseline: LoadResult): string {
  if (gateway.processCpuMicros === undefined || baseline.processCpuMicros === undefined || gateway.requests === 0 || baseline.requests === 0) return '';
  const difference = gateway.processCpuMicros.target / gateway.requests - baseline.processCpuMicros.target / baseline.requests;
  return `${difference >= 0 ? '+' : '-'}${Math.round(Math.abs(difference))} µs`;
}
