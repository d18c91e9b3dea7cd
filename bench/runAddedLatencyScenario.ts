import type { BenchContext } from './benchContext.js';
import { benchRequestBody } from './benchRequestBody.js';
import type { AddedLatencyScenarioResult } from './benchResults.js';
import type { AddedLatencyScenario } from './benchScenarios.js';
import { checkTargets, hasProblems } from './checkTargets.js';
import { measureAddedLatency } from './measureAddedLatency.js';
import { readCpuMicros } from './readCpuMicros.js';
import { gatewayCountersDelta, readGatewayCounters } from './readGatewayCounters.js';
import { withProfiles } from './withProfiles.js';

/** The sequential, interleaved undici loop: µs-precise latency the gateway adds at one connection. */
export async function runAddedLatencyScenario(context: BenchContext, scenario: AddedLatencyScenario): Promise<AddedLatencyScenarioResult> {
  const { options, targets } = context;
  const body = benchRequestBody(scenario.stream);
  context.log(`${scenario.label}: checking a sample response from each target`);
  const problems = await checkTargets(context, body, scenario.stream);
  const result: AddedLatencyScenarioResult = { scenario, problems, result: undefined, processCpuMicros: undefined, gatewayCounters: undefined, profiles: {} };
  if (hasProblems(problems)) return result;

  if (options.warmupSeconds > 0) {
    context.log(`${scenario.label}: warming up (${options.warmupSeconds} s)`);
    await measureAddedLatency(targets.gateway, targets.baseline, body, scenario.stream, options.warmupSeconds);
  }
  context.log(`${scenario.label}: timing both targets, interleaved, for ${options.durationSeconds * options.rounds} s`);
  const before = await readGatewayCounters(new URL(targets.gateway.url).origin);
  const readCpu = async (): Promise<{ gateway: number; baseline: number; simulator: number }> => ({
    gateway: await readCpuMicros(context.processes.gateway),
    baseline: await readCpuMicros(context.processes.baseline),
    simulator: await readCpuMicros(context.simulator),
  });
  const cpuBefore = await readCpu();
  const { value, profiles } = await withProfiles(context, scenario.id, () =>
    measureAddedLatency(targets.gateway, targets.baseline, body, scenario.stream, options.durationSeconds * options.rounds),
  );
  const cpuAfter = await readCpu();
  const after = await readGatewayCounters(new URL(targets.gateway.url).origin);
  result.processCpuMicros = {
    gateway: cpuAfter.gateway - cpuBefore.gateway,
    baseline: cpuAfter.baseline - cpuBefore.baseline,
    simulator: cpuAfter.simulator - cpuBefore.simulator,
  };
  result.result = value;
  result.gatewayCounters = gatewayCountersDelta(before, after);
  result.profiles = profiles;
  return result;
}
