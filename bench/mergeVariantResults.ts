import type { VariantResult, VariantScenarioResult } from './benchResults.js';
import { mergeLoadResults } from './mergeLoadResults.js';
import { gatewayCountersSum, type GatewayCounters } from './readGatewayCounters.js';
import type { LoadResult } from './runLoad.js';

/**
 * One variant's rounds (each on a fresh gateway) as one result: timed runs and counters added up, sample-check
 * problems and errors of any round kept (a scenario with a problem in one round still has the other rounds' figures).
 */
export function mergeVariantResults(rounds: readonly VariantResult[]): VariantResult {
  const first = rounds[0];
  if (first === undefined) throw new Error('mergeVariantResults: no rounds');
  const errors = [...new Set(rounds.flatMap((round) => (round.error === undefined ? [] : [round.error])))];
  const scenarios: VariantScenarioResult[] = [];
  for (const entry of rounds.flatMap((round) => round.scenarios)) {
    if (scenarios.some((merged) => merged.scenario.id === entry.scenario.id)) continue;
    const same = rounds.flatMap((round) => round.scenarios.filter((candidate) => candidate.scenario.id === entry.scenario.id));
    const runs = same.flatMap((candidate): LoadResult[] => (candidate.run === undefined ? [] : [candidate.run]));
    const counters = same.flatMap((candidate): GatewayCounters[] => (candidate.gatewayCounters === undefined ? [] : [candidate.gatewayCounters]));
    scenarios.push({
      scenario: entry.scenario,
      problems: [...new Set(same.flatMap((candidate) => candidate.problems))],
      run: runs.length === 0 ? undefined : mergeLoadResults(runs),
      gatewayCounters: counters.length === 0 ? undefined : gatewayCountersSum(counters),
      profile: same.find((candidate) => candidate.profile !== undefined)?.profile,
    });
  }
  return { variant: first.variant, description: first.description, error: errors.length === 0 ? undefined : errors.join('; '), scenarios };
}
