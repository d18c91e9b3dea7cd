import { BENCH_SCENARIOS } from './benchScenarios.js';
import type { VariantComparison, VariantId } from './benchVariant.js';
import { BENCH_VARIANTS, VARIANT_COMPARISONS } from './benchVariants.js';

export interface VariantRunPlan {
  variant: VariantId;
  /** Load scenario ids, in BENCH_SCENARIOS order. */
  scenarioIds: string[];
}

export interface VariantPlan {
  /** In BENCH_VARIANTS order; `default` appears when a comparison needs it as reference. */
  runs: VariantRunPlan[];
  comparisons: VariantComparison[];
}

/**
 * What to measure for the selected variants: each its own scenarios, plus the comparisons it is the subject of,
 * whose references (`default`, `store-memory`) run the compared scenario too even when not selected themselves.
 */
export function planVariantRuns(selected: readonly VariantId[]): VariantPlan {
  const comparisons = VARIANT_COMPARISONS.filter((comparison) => selected.includes(comparison.variant));
  const runs: VariantRunPlan[] = [];
  for (const variant of BENCH_VARIANTS) {
    const wanted = new Set<string>(selected.includes(variant.id) ? variant.scenarioIds : []);
    for (const comparison of comparisons) {
      if (comparison.variant === variant.id || comparison.reference === variant.id) wanted.add(comparison.scenarioId);
    }
    if (wanted.size === 0) continue;
    runs.push({ variant: variant.id, scenarioIds: BENCH_SCENARIOS.filter((scenario) => wanted.has(scenario.id)).map((scenario) => scenario.id) });
  }
  return { runs, comparisons };
}
