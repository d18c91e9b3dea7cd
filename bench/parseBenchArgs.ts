import { parseArgs } from 'node:util';
import { BENCH_SCENARIOS, type BenchScenario } from './benchScenarios.js';
import { VARIANT_IDS, type VariantId } from './benchVariant.js';
import type { BenchLogLevel } from './buildBenchConfig.js';

/** Variants `--variants` may name: all but `default`, the reference that runs whenever a selected variant is compared with it. */
export const SELECTABLE_VARIANTS: readonly VariantId[] = VARIANT_IDS.filter((id) => id !== 'default');

export interface BenchOptions {
  /** Seconds per timed run (each target, each scenario, each round). */
  durationSeconds: number;
  /** Seconds of untimed load before each timed scenario, per target. */
  warmupSeconds: number;
  /** Timed runs per target and scenario, alternating which target goes first; for variants, rounds of fresh gateways. */
  rounds: number;
  json: boolean;
  logLevel: BenchLogLevel;
  scenarios: BenchScenario[];
  /** Extra gateway variants to measure after the main run (their references run too). */
  variants: VariantId[];
  /** When set: `--cpu-prof` the gateway and the baseline, a fresh pair of processes per scenario, profiles here. */
  profileDir: string | undefined;
  help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]

  --duration N       seconds per timed run (default 10)
  --warmup N         seconds of untimed load per target before each scenario (default 2)
  --rounds N         timed runs per target and scenario, alternating the order (default 1);
                     for variants: N rounds, each starting every variant's gateway anew, figures merged
  --log-level L      gateway log level: warn (default) or info (one line per request, to a file)
  --scenarios a,b    main run (gateway vs baseline): none, or a subset of: ${BENCH_SCENARIOS.map((scenario) => scenario.id).join(', ')}
  --variants a,b     gateway variants, each on a fresh gateway measured alone after the main run (default: all): none, or a subset of:
                     ${SELECTABLE_VARIANTS.join(', ')}
                     (a variant's reference, default or store-memory, runs the compared scenario too)
  --profile DIR      CPU-profile gateway and baseline (and the variants' gateways) during the timed runs, write .cpuprofile files to DIR, summarise
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
      variants: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const logLevel = values['log-level'] ?? 'warn';
  if (logLevel !== 'warn' && logLevel !== 'info') throw new Error(`--log-level must be warn or info, not '${logLevel}'`);
  const scenarioIds = listFlag(values.scenarios, '--scenarios', BENCH_SCENARIOS.map((scenario) => scenario.id));
  return {
    durationSeconds: positiveNumber(values.duration, 10, '--duration'),
    warmupSeconds: positiveNumber(values.warmup, 2, '--warmup', true),
    rounds: Math.round(positiveNumber(values.rounds, 1, '--rounds')),
    json: values.json ?? false,
    logLevel,
    scenarios: BENCH_SCENARIOS.filter((scenario) => scenarioIds.includes(scenario.id)),
    variants: listFlag(values.variants, '--variants', SELECTABLE_VARIANTS),
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

/** A comma-separated subset of `known`; absent means all of them, `none` none of them. */
function listFlag<T extends string>(raw: string | undefined, flag: string, known: readonly T[]): T[] {
  if (raw === undefined) return [...known];
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 1 && ids[0] === 'none') return [];
  for (const id of ids) {
    if (!(known as readonly string[]).includes(id)) throw new Error(`${flag}: unknown '${id}' (known: none, ${known.join(', ')})`);
  }
  return known.filter((id) => ids.includes(id));
}
