// `npm run bench`: the gateway against a bare forwarder, both in front of the same simulator.
// Simulator, gateway and baseline each run in their own process; the load generator runs here.
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchContext } from './benchContext.js';
import { benchRequestBody } from './benchRequestBody.js';
import type { BenchResults } from './benchResults.js';
import { benchResultsToJson } from './benchResultsToJson.js';
import { benchTarget } from './benchTarget.js';
import { formatReport } from './formatReport.js';
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from './parseBenchArgs.js';
import { runAddedLatencyScenario } from './runAddedLatencyScenario.js';
import { runLoadScenario } from './runLoadScenario.js';
import { killAllChildrenNow, startChildProcess, stopAllChildren } from './startChildProcess.js';

const GATEWAY_LOG_TAIL_LINES = 20;

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

// Children never outlive the benchmark: graceful stop on Ctrl-C / SIGTERM, SIGKILL as the last resort.
// (Ctrl-C also reaches the children directly: they share the terminal's process group and exit on SIGINT.)
const interrupt = (signal: NodeJS.Signals, code: number): void => {
  log(`${signal}: stopping child processes`);
  void stopAllChildren().finally(() => process.exit(code));
};
process.once('SIGINT', () => interrupt('SIGINT', 130));
process.once('SIGTERM', () => interrupt('SIGTERM', 143));
process.once('exit', killAllChildrenNow);

const workDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const gatewayLogPath = join(workDir, 'gateway.log');
if (options.profileDir !== undefined) {
  options.profileDir = resolve(options.profileDir);
  mkdirSync(options.profileDir, { recursive: true });
}

try {
  log(`starting simulator, gateway (log level ${options.logLevel}) and baseline forwarder`);
  const simulator = await startChildProcess({ name: 'simulator', module: 'simulatorProcess.js' });
  // The gateway logs like `switchyard serve` does, to stdout; here stdout is a file.
  const gatewayLogFd = openSync(gatewayLogPath, 'w');
  const gateway = await startChildProcess({ name: 'gateway', module: 'gatewayProcess.js', args: [simulator.url, options.logLevel], stdout: gatewayLogFd });
  closeSync(gatewayLogFd);
  const baseline = await startChildProcess({ name: 'baseline', module: 'baselineForwarder.js', args: [simulator.url] });

  const context: BenchContext = {
    options,
    targets: { gateway: benchTarget('gateway', gateway.url), baseline: benchTarget('baseline', baseline.url) },
    processes: { gateway, baseline },
    simulator,
    log,
  };
  const results: BenchResults = {
    options,
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage: loadavg() },
    requestBodyBytes: { nonStream: Buffer.byteLength(benchRequestBody(false)), stream: Buffer.byteLength(benchRequestBody(true)) },
    load: [],
    addedLatency: [],
    gatewayLogBytes: 0,
  };
  let loadIndex = 0;
  for (const scenario of options.scenarios) {
    if (scenario.kind === 'load') results.load.push(await runLoadScenario(context, scenario, loadIndex++));
    else results.addedLatency.push(await runAddedLatencyScenario(context, scenario));
  }

  await stopAllChildren();
  results.gatewayLogBytes = statSync(gatewayLogPath).size;
  const failedChecks = [...results.load, ...results.addedLatency].some((entry) => entry.problems.gateway.length > 0);
  if (failedChecks) {
    // The log is deleted with the work directory: show why the gateway failed while it is still there.
    const tail = readFileSync(gatewayLogPath, 'utf8').trimEnd().split('\n').slice(-GATEWAY_LOG_TAIL_LINES);
    log(`a gateway sample check failed; the gateway log ends with:\n${tail.join('\n')}`);
  }
  process.stdout.write(options.json ? `${JSON.stringify(benchResultsToJson(results), null, 2)}\n` : formatReport(results));
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  rmSync(workDir, { recursive: true, force: true });
}
