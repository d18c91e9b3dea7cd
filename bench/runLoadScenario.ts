import type { BenchContext } from './benchContext.js';
import { benchRequestBody } from './benchRequestBody.js';
import type { LoadScenarioResult } from './benchResults.js';
import type { LoadScenario } from './benchScenarios.js';
import type { BenchTarget, TargetName } from './benchTarget.js';
import { checkTargets, hasProblems } from './checkTargets.js';
import { measuredLoad } from './measuredLoad.js';
import { mergeLoadResults } from './mergeLoadResults.js';
import { gatewayCountersDelta, readGatewayCounters } from './readGatewayCounters.js';
import { runLoad, type LoadResult } from './runLoad.js';
import { withProfiles } from './withProfiles.js';

/**
 * One autocannon scenario: sample check, warm-up of both targets, then the timed runs, gateway and
 * baseline alternately (the first target swaps with each scenario and round, so drifting noise hits both).
 */
export async function runLoadScenario(context: BenchContext, scenario: LoadScenario, index: number): Promise<LoadScenarioResult> {
  const { options, targets } = context;
  const body = benchRequestBody(scenario.stream);
  context.log(`${scenario.label}: checking a sample response from each target`);
  const problems = await checkTargets(context, body, scenario.stream);
  const result: LoadScenarioResult = { scenario, problems, runs: {}, gatewayCounters: undefined, profiles: {} };
  if (hasProblems(problems)) return result;

  const load = (target: BenchTarget, durationSeconds: number): Promise<LoadResult> =>
    runLoad({ url: target.url, headers: target.headers, body, connections: scenario.connections, durationSeconds });
  if (options.warmupSeconds > 0) {
    context.log(`${scenario.label}: warming up (${options.warmupSeconds} s per target)`);
    for (const target of Object.values(targets)) await load(target, options.warmupSeconds);
  }

  const before = await readGatewayCounters(new URL(targets.gateway.url).origin);
  const { value: runs, profiles } = await withProfiles(context, scenario.id, async () => {
    const runs: Record<TargetName, LoadResult[]> = { gateway: [], baseline: [] };
    for (let round = 0; round < options.rounds; round++) {
      const order: TargetName[] = (index + round) % 2 === 0 ? ['gateway', 'baseline'] : ['baseline', 'gateway'];
      for (const name of order) {
        context.log(`${scenario.label}: timing ${name}${options.rounds > 1 ? ` (round ${round + 1}/${options.rounds})` : ''} for ${options.durationSeconds} s`);
        runs[name].push(await measuredLoad(context.processes[name], context.simulator, () => load(targets[name], options.durationSeconds)));
      }
    }
    return runs;
  });
  const after = await readGatewayCounters(new URL(targets.gateway.url).origin);
  result.runs = { gateway: mergeLoadResults(runs.gateway), baseline: mergeLoadResults(runs.baseline) };
  result.gatewayCounters = gatewayCountersDelta(before, after);
  result.profiles = profiles;
  return result;
}
