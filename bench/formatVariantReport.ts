import type { BenchResults } from './benchResults.js';
import { evaluateVariantComparisons } from './evaluateVariantComparisons.js';
import { formatTableRow, loadFigureCells } from './formatTableRow.js';
import { gatewayCounterLines } from './gatewayCounterLines.js';

const WIDTHS = [22, 22, 7, 9, 9, 8, 11, 7, 6];
const row = (cells: string[]): string => formatTableRow(cells, WIDTHS);

/** The variants' part of the report: their runs, then the comparisons with their references. */
export function formatVariantReport(results: BenchResults): string[] {
  if (results.variants.length === 0) return [];
  const lines: string[] = [
    '',
    `Gateway variants: each on a fresh gateway process of its own, loaded alone (no baseline), same simulator; ${results.options.rounds} round(s), ` +
      'each round starting every variant anew (every other round in reverse order), figures merged.',
    ...results.variants.map((variant) => `  ${variant.variant}: ${variant.description}`),
    '',
  ];
  const header = row(['variant', 'scenario', 'req/s', 'p50', 'p99', 'CPU/req', 'sim CPU/req', 'non-2xx', 'errors']);
  lines.push(header, '-'.repeat(header.length));
  for (const variant of results.variants) {
    if (variant.error !== undefined) lines.push(`${variant.variant.padEnd(WIDTHS[0] ?? 0)} FAILED: ${variant.error}`);
    for (const entry of variant.scenarios) {
      const label = entry.scenario.label;
      const run = entry.run;
      const problems = entry.problems.length === 0 ? [] : [`    sample check failed${run === undefined ? '' : ' (in some round)'}: ${entry.problems.join('; ')}`];
      if (run === undefined) {
        lines.push(row([variant.variant, label, 'NOT TIMED']), ...problems);
        continue;
      }
      lines.push(
        row([
          variant.variant,
          label,
          ...loadFigureCells(run),
        ]),
      );
      lines.push(...problems, ...gatewayCounterLines(entry.gatewayCounters, entry.scenario.connections * results.options.rounds));
    }
  }

  const verdicts = evaluateVariantComparisons(results.comparisons, results.variants);
  if (verdicts.length > 0) {
    lines.push('', 'Variant comparisons (informational; the benchmark never fails on them; a few % is run-to-run noise on a shared box, --rounds 3 narrows it):');
    for (const verdict of verdicts) {
      const { comparison } = verdict;
      const scenario = results.variants.flatMap((variant) => variant.scenarios).find((entry) => entry.scenario.id === comparison.scenarioId)?.scenario.label ?? comparison.scenarioId;
      const subject = `${comparison.issue}: ${comparison.variant} vs ${comparison.reference}, ${scenario}, loss <= ${comparison.maxLossPercent}%`;
      const mark = verdict.pass === undefined ? '-   ' : verdict.pass ? 'PASS' : 'MISS';
      if (verdict.ratioPercent === undefined || verdict.lossPercent === undefined) {
        lines.push(`  ${mark}  ${subject}: not measured`);
        continue;
      }
      const cpu =
        verdict.variantCpuMicrosPerRequest === undefined || verdict.referenceCpuMicrosPerRequest === undefined
          ? ''
          : `; gateway CPU/req ${Math.round(verdict.variantCpuMicrosPerRequest)} vs ${Math.round(verdict.referenceCpuMicrosPerRequest)} µs`;
      lines.push(
        `  ${mark}  ${subject}: ${(verdict.variantRequestsPerSecond ?? 0).toFixed(0)} vs ${(verdict.referenceRequestsPerSecond ?? 0).toFixed(0)} req/s = ` +
          `${verdict.ratioPercent.toFixed(1)}% (loss ${verdict.lossPercent.toFixed(1)}%)${cpu}${verdict.notes.length > 0 ? ` [${verdict.notes.join(', ')}]` : ''}`,
      );
    }
  }
  return lines;
}


