import type { VariantResult } from './benchResults.js';
import type { VariantComparison } from './benchVariant.js';
import type { LoadResult } from './runLoad.js';

export interface VariantVerdict {
  comparison: VariantComparison;
  /** Gateway req/s of the variant and of its reference on the compared scenario; undefined when not measured. */
  variantRequestsPerSecond: number | undefined;
  referenceRequestsPerSecond: number | undefined;
  /** Variant as a percentage of the reference. */
  ratioPercent: number | undefined;
  /** Throughput lost against the reference, in percent (negative: the variant was faster). */
  lossPercent: number | undefined;
  /** Gateway CPU time per request, µs, when measured: explains a loss better than req/s on a shared box. */
  variantCpuMicrosPerRequest: number | undefined;
  referenceCpuMicrosPerRequest: number | undefined;
  /** undefined when either side was not measured. */
  pass: boolean | undefined;
  /** Why the figures may mislead, e.g. non-2xx answers (a refusal is cheaper than a completion). */
  notes: string[];
}

/** Judges each comparison on the variants' figures (informational: benchmarks never fail CI). */
export function evaluateVariantComparisons(comparisons: readonly VariantComparison[], variants: readonly VariantResult[]): VariantVerdict[] {
  return comparisons.map((comparison) => {
    const variant = runOf(variants, comparison.variant, comparison.scenarioId);
    const reference = runOf(variants, comparison.reference, comparison.scenarioId);
    const measured = variant !== undefined && reference !== undefined && reference.requestsPerSecond > 0;
    const ratioPercent = measured ? (100 * variant.requestsPerSecond) / reference.requestsPerSecond : undefined;
    const lossPercent = ratioPercent === undefined ? undefined : 100 - ratioPercent;
    return {
      comparison,
      variantRequestsPerSecond: variant?.requestsPerSecond,
      referenceRequestsPerSecond: reference?.requestsPerSecond,
      ratioPercent,
      lossPercent,
      variantCpuMicrosPerRequest: cpuPerRequest(variant),
      referenceCpuMicrosPerRequest: cpuPerRequest(reference),
      pass: lossPercent === undefined ? undefined : lossPercent <= comparison.maxLossPercent,
      notes: [...failureNotes(comparison.variant, variant), ...failureNotes(comparison.reference, reference)],
    };
  });
}

function runOf(variants: readonly VariantResult[], id: string, scenarioId: string): LoadResult | undefined {
  const run = variants.find((variant) => variant.variant === id)?.scenarios.find((entry) => entry.scenario.id === scenarioId)?.run;
  return run === undefined || run.requests === 0 ? undefined : run;
}

function cpuPerRequest(run: LoadResult | undefined): number | undefined {
  return run?.processCpuMicros === undefined || run.requests === 0 ? undefined : run.processCpuMicros.target / run.requests;
}

function failureNotes(id: string, run: LoadResult | undefined): string[] {
  if (run === undefined) return [];
  const failed = run.errors + run.timeouts;
  return [...(run.non2xx > 0 ? [`${id}: ${run.non2xx} non-2xx`] : []), ...(failed > 0 ? [`${id}: ${failed} errors/timeouts`] : [])];
}
