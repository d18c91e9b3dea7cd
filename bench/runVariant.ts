import { join } from 'node:path';
import { registerCleanup } from './benchCleanups.js';
import type { VariantResult } from './benchResults.js';
import { BENCH_SCENARIOS, type LoadScenario } from './benchScenarios.js';
import { benchTarget } from './benchTarget.js';
import type { BenchVariant, PreparedVariant, VariantSetup } from './benchVariant.js';
import type { BenchOptions } from './parseBenchArgs.js';
import { readLogTail } from './readLogTail.js';
import { runGatewayScenario } from './runGatewayScenario.js';
import { startGatewayProcess } from './startGatewayProcess.js';
import type { ChildHandle } from './startChildProcess.js';

export interface VariantRun {
  options: BenchOptions;
  variant: BenchVariant;
  /** 0-based; shown in progress lines and profile names when there are several. */
  round: number;
  scenarioIds: readonly string[];
  setup: VariantSetup;
  simulator: ChildHandle;
  log(message: string): void;
}

/**
 * A variant on a gateway process of its own: prepares its config (and any schema or key prefix), starts the
 * gateway, runs the scenarios against it alone, stops it and removes what was prepared. A variant that cannot
 * be prepared or started is reported with its error; the benchmark goes on.
 */
export async function runVariant(run: VariantRun): Promise<VariantResult> {
  const { variant, setup } = run;
  const name = run.options.rounds > 1 ? `${variant.id}-round${run.round + 1}` : variant.id;
  const result: VariantResult = { variant: variant.id, description: variant.description, error: undefined, scenarios: [] };
  const scenarios = BENCH_SCENARIOS.filter((scenario): scenario is LoadScenario => scenario.kind === 'load' && run.scenarioIds.includes(scenario.id));
  run.log(`[${name}] ${variant.description}: starting its gateway`);
  let prepared: PreparedVariant;
  try {
    prepared = await variant.prepare(setup);
  } catch (error) {
    result.error = `could not prepare: ${describe(error)}`;
    run.log(`[${name}] ${result.error}; skipped`);
    return result;
  }
  const unregister = registerCleanup(prepared.cleanup);
  const logPath = join(setup.workDir, `gateway-${name}.log`);
  let gateway: ChildHandle | undefined;
  try {
    gateway = await startGatewayProcess(`gateway ${name}`, prepared.config, logPath);
    const target = benchTarget('gateway', gateway.url);
    for (const scenario of scenarios) {
      result.scenarios.push(
        await runGatewayScenario({ options: run.options, runName: name, target, gateway, simulator: run.simulator, scenario, body: variant.requestBody(scenario.stream), log: run.log }),
      );
    }
  } catch (error) {
    result.error = describe(error);
    run.log(`[${name}] failed: ${result.error}`);
  } finally {
    await gateway?.stop();
    if (result.error !== undefined || result.scenarios.some((scenario) => scenario.problems.length > 0)) {
      run.log(`[${name}] its gateway log ends with:\n${readLogTail(logPath)}`);
    }
    unregister();
    await prepared.cleanup().catch((error: unknown) => run.log(`[${name}] ${describe(error)}`));
  }
  return result;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
