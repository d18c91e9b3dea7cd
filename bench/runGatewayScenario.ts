import { setTimeout as delay } from 'node:timers/promises';
import type { VariantScenarioResult } from './benchResults.js';
import type { LoadScenario } from './benchScenarios.js';
import type { BenchTarget } from './benchTarget.js';
import { checkSample } from './checkSample.js';
import { measuredLoad } from './measuredLoad.js';
import type { BenchOptions } from './parseBenchArgs.js';
import { gatewayCountersDelta, readGatewayCounters } from './readGatewayCounters.js';
import { runLoad, type LoadResult } from './runLoad.js';
import type { ChildHandle } from './startChildProcess.js';
import { withChildProfiles } from './withChildProfiles.js';

const SETTLE_MS = 250;

export interface GatewayScenarioRun {
  options: BenchOptions;
  /** For progress lines and profile file names, e.g. `routing-20` or `routing-20-round2`. */
  runName: string;
  target: BenchTarget;
  gateway: ChildHandle;
  simulator: ChildHandle;
  scenario: LoadScenario;
  body: string;
  log(message: string): void;
}

/** One load scenario against one gateway alone: sample check, warm-up, one timed run (rounds are the caller's). */
export async function runGatewayScenario(run: GatewayScenarioRun): Promise<VariantScenarioResult> {
  const { options, scenario, target, body } = run;
  const label = `[${run.runName}] ${scenario.label}`;
  const result: VariantScenarioResult = { scenario, problems: [], run: undefined, gatewayCounters: undefined, profile: undefined };
  run.log(`${label}: checking a sample response`);
  try {
    result.problems = await checkSample(target, body, scenario.stream);
  } catch (error) {
    result.problems = [`request failed: ${String(error)}`];
  }
  if (result.problems.length > 0) {
    run.log(`${label}: sample check FAILED: ${result.problems.join('; ')}`);
    return result;
  }

  const load = (durationSeconds: number): Promise<LoadResult> =>
    runLoad({ url: target.url, headers: target.headers, body, connections: scenario.connections, durationSeconds });
  if (options.warmupSeconds > 0) {
    run.log(`${label}: warming up (${options.warmupSeconds} s)`);
    await load(options.warmupSeconds);
    // Requests cut off at the end of the warm-up end (499) a moment later: not within the timed run's counters.
    await delay(SETTLE_MS);
  }
  const origin = new URL(target.url).origin;
  const before = await readGatewayCounters(origin);
  run.log(`${label}: timing the gateway for ${options.durationSeconds} s`);
  const { value, profiles } = await withChildProfiles(options.profileDir, { gateway: run.gateway }, `${run.runName}-${scenario.id}`, () =>
    measuredLoad(run.gateway, run.simulator, () => load(options.durationSeconds)),
  );
  result.gatewayCounters = gatewayCountersDelta(before, await readGatewayCounters(origin));
  result.run = value;
  result.profile = profiles.gateway;
  return result;
}
