import type { BenchContext } from './benchContext.js';
import type { SampleProblems } from './benchResults.js';
import { checkSample } from './checkSample.js';

/** The sample check against both targets; a request that throws counts as a problem. */
export async function checkTargets(context: BenchContext, body: string, stream: boolean): Promise<SampleProblems> {
  const problems: SampleProblems = { gateway: [], baseline: [] };
  for (const target of Object.values(context.targets)) {
    try {
      problems[target.name] = await checkSample(target, body, stream);
    } catch (error) {
      problems[target.name] = [`request failed: ${String(error)}`];
    }
    if (problems[target.name].length > 0) context.log(`  ${target.name} sample check FAILED: ${problems[target.name].join('; ')}`);
  }
  return problems;
}

export function hasProblems(problems: SampleProblems): boolean {
  return problems.gateway.length > 0 || problems.baseline.length > 0;
}
