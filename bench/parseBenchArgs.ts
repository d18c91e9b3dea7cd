import { parseArgs } from 'node:util';
import { BENCH_SCENARIOS, type BenchScenario } from './benchScenarios.js';
import type { BenchLogLevel } from './buildBenchConfig.js';

export interface BenchOptions {
  /** Seconds per timed run (each target, each scenario, each round). */
  durationSeconds: number;
  /** Seconds of untimed load before each timed scenario, per target. */
  warmupSeconds: number;
  /** Timed runs per target and scenario, alternating which target goes first. */
  rounds: number;
  json: boolean;
  logLevel: BenchLogLevel;
  scenarios: BenchScenario[];
  /** When set: `--cpu-prof` the gateway and the baseline, a fresh pair of processes per scenario, profiles here. */
  profileDir: string | undefined;
  help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]

  --duration N       seconds per timed run (default 10)
  --warmup N         seconds of untimed load per target before each scenario (default 2)
  --rounds N         timed runs per target and scenario, alternating the order (default 1)
  --log-level L      gateway log level: warn (default) or info (one line per request, to a file)
  --scenarios a,b    subset of: ${BENCH_SCENARIOS.map((scenario) => scenario.id).join(', ')}
  --profile DIR      CPU-profile gateway and baseline during the timed runs, write .cpuprofile files to DIR, summarise
  --json             print machine-readable results instead of the table
`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      'log-level': { type: 'string' },
      scenarios: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const logLevel = values['log-level'] ?? 'warn';
  if (logLevel !== 'warn' && logLevel !== 'info') throw new Error(`--log-level must be warn or info, not '${logLevel}'`);
  let scenarios = [...BENCH_SCENARIOS];
  if (values.scenarios !== undefined) {
    const ids = values.scenarios.split(',').map((id) => id.trim()).filter((id) => id !== '');
    for (const id of ids) {
      if (!BENCH_SCENARIOS.some((scenario) => scenario.id === id)) throw new Error(`unknown scenario '${id}'`);
    }
    scenarios = BENCH_SCENARIOS.filter((scenario) => ids.includes(scenario.id));
  }
  return {
    durationSeconds: positiveNumber(values.duration, 10, '--duration'),
    warmupSeconds: positiveNumber(values.warmup, 2, '--warmup', true),
    rounds: Math.round(positiveNumber(values.rounds, 1, '--rounds')),
    json: values.json ?? false,
    logLevel,
    scenarios,
    profileDir: values.profile,
    help: values.help ?? false,
  };
}

function positiveNumber(raw: string | undefined, fallback: number, flag: string, zeroAllowed = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) throw new Error(`${flag} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number, not '${raw}'`);
  return value;
}
