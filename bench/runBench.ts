// `npm run bench`: the gateway against a bare forwarder, both in front of the same simulator, then gateway
// variants (other protocols, 20-offer routing, stores) each on a gateway of its own, against the gateway alone.
// Simulator, gateways and baseline each run in their own process; the load generator runs here.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runPendingCleanups } from './benchCleanups.js';
import type { BenchContext } from './benchContext.js';
import { benchRequestBody } from './benchRequestBody.js';
import type { BenchResults, VariantResult } from './benchResults.js';
import { benchResultsToJson } from './benchResultsToJson.js';
import { benchTarget } from './benchTarget.js';
import type { VariantSetup } from './benchVariant.js';
import { benchVariant } from './benchVariants.js';
import { formatReport } from './formatReport.js';
import { mergeVariantResults } from './mergeVariantResults.js';
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from './parseBenchArgs.js';
import { planVariantRuns } from './planVariantRuns.js';
import { readLogTail } from './readLogTail.js';
import { runAddedLatencyScenario } from './runAddedLatencyScenario.js';
import { runLoadScenario } from './runLoadScenario.js';
import { runVariant } from './runVariant.js';
import { startGatewayProcess } from './startGatewayProcess.js';
import { killAllChildrenNow, startChildProcess, stopAllChildren } from './startChildProcess.js';

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${BENCH_USAGE}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(BENCH_USAGE);
  process.exit(0);
}

// Gateway logs and SQLite ledgers live here; deleted at the end.
const workDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const gatewayLogPath = join(workDir, 'gateway.log');
if (options.profileDir !== undefined) {
  options.profileDir = resolve(options.profileDir);
  mkdirSync(options.profileDir, { recursive: true });
}

// Children never outlive the benchmark: graceful stop on Ctrl-C / SIGTERM, SIGKILL as the last resort; a variant's
// Postgres schema and Redis keys are removed once its gateway is down.
// (Ctrl-C also reaches the children directly: they share the terminal's process group and exit on SIGINT.)
const interrupt = (signal: NodeJS.Signals, code: number): void => {
  log(`${signal}: stopping child processes`);
  void stopAllChildren()
    .then(runPendingCleanups)
    .finally(() => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(code);
    });
};
process.once('SIGINT', () => interrupt('SIGINT', 130));
process.once('SIGTERM', () => interrupt('SIGTERM', 143));
process.once('exit', killAllChildrenNow);

try {
  const plan = planVariantRuns(options.variants);
  log('starting simulator');
  const simulator = await startChildProcess({ name: 'simulator', module: 'simulatorProcess.js' });
  const setup: VariantSetup = { simulatorUrl: simulator.url, logLevel: options.logLevel, workDir };
  const results: BenchResults = {
    options,
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage: loadavg() },
    requestBodyBytes: { nonStream: Buffer.byteLength(benchRequestBody(false)), stream: Buffer.byteLength(benchRequestBody(true)) },
    load: [],
    addedLatency: [],
    variants: [],
    comparisons: plan.comparisons,
    gatewayLogBytes: 0,
  };

  if (options.scenarios.length > 0) {
    log(`starting gateway (log level ${options.logLevel}) and baseline forwarder`);
    const { config } = await benchVariant('default').prepare(setup);
    const gateway = await startGatewayProcess('gateway', config, gatewayLogPath);
    const baseline = await startChildProcess({ name: 'baseline', module: 'baselineForwarder.js', args: [simulator.url] });
    const context: BenchContext = {
      options,
      targets: { gateway: benchTarget('gateway', gateway.url), baseline: benchTarget('baseline', baseline.url) },
      processes: { gateway, baseline },
      simulator,
      log,
    };
    let loadIndex = 0;
    for (const scenario of options.scenarios) {
      if (scenario.kind === 'load') results.load.push(await runLoadScenario(context, scenario, loadIndex++));
      else results.addedLatency.push(await runAddedLatencyScenario(context, scenario));
    }
    // Only one gateway under load at a time: the main run's processes go before the variants start.
    await Promise.all([gateway.stop(), baseline.stop()]);
    results.gatewayLogBytes = statSync(gatewayLogPath).size;
    const failedChecks = [...results.load, ...results.addedLatency].some((entry) => entry.problems.gateway.length > 0);
    // The log is deleted with the work directory: show why the gateway failed while it is still there.
    if (failedChecks) log(`a gateway sample check failed; the gateway log ends with:\n${readLogTail(gatewayLogPath)}`);
  }

  // Variants, the reference `default` included, each on a fresh gateway, so references and variants are measured
  // alike; each round starts them all anew, every other round in reverse order, so drift and per-process luck even out.
  const roundsByVariant: VariantResult[][] = plan.runs.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = plan.runs.map((planned, index) => ({ planned, index }));
    if (round % 2 === 1) order.reverse();
    for (const { planned, index } of order) {
      roundsByVariant[index]?.push(await runVariant({ options, variant: benchVariant(planned.variant), round, scenarioIds: planned.scenarioIds, setup, simulator, log }));
    }
  }
  results.variants = roundsByVariant.filter((variantRounds) => variantRounds.length > 0).map(mergeVariantResults);

  await stopAllChildren();
  process.stdout.write(options.json ? `${JSON.stringify(benchResultsToJson(results), null, 2)}\n` : formatReport(results));
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  await runPendingCleanups();
  rmSync(workDir, { recursive: true, force: true });
}
