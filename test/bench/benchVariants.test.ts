import { describe, expect, it } from 'vitest';
import type { VariantResult } from '../../bench/benchResults.js';
import { BENCH_SCENARIOS, type LoadScenario } from '../../bench/benchScenarios.js';
import type { VariantComparison } from '../../bench/benchVariant.js';
import { evaluateVariantComparisons } from '../../bench/evaluateVariantComparisons.js';
import { LatencySamples } from '../../bench/latencySamples.js';
import { mergeVariantResults } from '../../bench/mergeVariantResults.js';
import { parseBenchArgs, SELECTABLE_VARIANTS } from '../../bench/parseBenchArgs.js';
import { planVariantRuns } from '../../bench/planVariantRuns.js';
import type { LoadResult } from '../../bench/runLoad.js';

const scenario = (id: string): LoadScenario => BENCH_SCENARIOS.find((entry): entry is LoadScenario => entry.kind === 'load' && entry.id === id) as LoadScenario;

function load(requestsPerSecond: number, extra: Partial<LoadResult> = {}): LoadResult {
  return {
    requests: requestsPerSecond * 10, durationSeconds: 10, requestsPerSecond, latency: new LatencySamples(), autocannonLatencyMs: [],
    non2xx: 0, errors: 0, timeouts: 0, statusCodes: {}, processCpuMicros: { target: requestsPerSecond * 10 * 150, simulator: 0 }, ...extra,
  };
}

function variant(id: VariantResult['variant'], scenarioId: string, run: LoadResult | undefined): VariantResult {
  return { variant: id, description: id, error: undefined, scenarios: [{ scenario: scenario(scenarioId), problems: [], run, gatewayCounters: undefined, profile: undefined }] };
}

describe('parseBenchArgs --variants and --scenarios', () => {
  it('selects every variant by default and none with "none"', () => {
    expect(parseBenchArgs([]).variants).toEqual([...SELECTABLE_VARIANTS]);
    expect(parseBenchArgs(['--variants', 'none']).variants).toEqual([]);
    expect(parseBenchArgs(['--scenarios', 'none']).scenarios).toEqual([]);
  });

  it('keeps the declared order and rejects unknown or non-selectable ids', () => {
    expect(parseBenchArgs(['--variants', 'store-sqlite, anthropic']).variants).toEqual(['anthropic', 'store-sqlite']);
    expect(() => parseBenchArgs(['--variants', 'default'])).toThrow(/unknown 'default'/);
    expect(() => parseBenchArgs(['--variants', 'anthropic,nope'])).toThrow(/--variants: unknown 'nope'/);
    expect(() => parseBenchArgs(['--scenarios', 'stream-99'])).toThrow(/--scenarios: unknown 'stream-99'/);
  });
});

describe('planVariantRuns', () => {
  it('adds the references of the selected variants with the compared scenario', () => {
    const plan = planVariantRuns(['store-postgres-redis', 'gemini']);
    expect(plan.runs).toEqual([
      { variant: 'default', scenarioIds: ['stream-32'] },
      { variant: 'gemini', scenarioIds: ['stream-32'] },
      { variant: 'store-memory', scenarioIds: ['nonstream-32'] },
      { variant: 'store-postgres-redis', scenarioIds: ['nonstream-32'] },
    ]);
    expect(plan.comparisons.map((comparison) => comparison.variant)).toEqual(['gemini', 'store-postgres-redis']);
  });

  it('runs a reference selected alone without comparisons, and nothing for none', () => {
    expect(planVariantRuns(['store-memory'])).toEqual({ runs: [{ variant: 'store-memory', scenarioIds: ['nonstream-32'] }], comparisons: [] });
    expect(planVariantRuns([])).toEqual({ runs: [], comparisons: [] });
  });
});

describe('evaluateVariantComparisons', () => {
  const comparison: VariantComparison = { issue: 'issue 5', variant: 'store-sqlite', reference: 'store-memory', scenarioId: 'nonstream-32', maxLossPercent: 10 };

  it('gives the ratio and the loss against the reference and judges it on the limit', () => {
    const [within] = evaluateVariantComparisons([comparison], [variant('store-memory', 'nonstream-32', load(1000)), variant('store-sqlite', 'nonstream-32', load(920))]);
    expect(within).toMatchObject({ variantRequestsPerSecond: 920, referenceRequestsPerSecond: 1000, pass: true, notes: [], variantCpuMicrosPerRequest: 150 });
    expect(within?.ratioPercent).toBeCloseTo(92);
    expect(within?.lossPercent).toBeCloseTo(8);
    const [beyond] = evaluateVariantComparisons([comparison], [variant('store-memory', 'nonstream-32', load(1000)), variant('store-sqlite', 'nonstream-32', load(880))]);
    expect(beyond?.pass).toBe(false);
  });

  it('counts a faster variant as a negative loss', () => {
    const [faster] = evaluateVariantComparisons([comparison], [variant('store-memory', 'nonstream-32', load(1000)), variant('store-sqlite', 'nonstream-32', load(1100))]);
    expect(faster?.lossPercent).toBeCloseTo(-10);
    expect(faster?.pass).toBe(true);
  });

  it('leaves the verdict open when a side was not measured, and notes failed requests', () => {
    const [missing] = evaluateVariantComparisons([comparison], [variant('store-sqlite', 'nonstream-32', load(900))]);
    expect(missing).toMatchObject({ ratioPercent: undefined, lossPercent: undefined, pass: undefined });
    const [noted] = evaluateVariantComparisons([comparison], [variant('store-memory', 'nonstream-32', load(1000)), variant('store-sqlite', 'nonstream-32', load(990, { non2xx: 12, errors: 1 }))]);
    expect(noted?.notes).toEqual(['store-sqlite: 12 non-2xx', 'store-sqlite: 1 errors/timeouts']);
  });
});

describe('mergeVariantResults', () => {
  it('adds up the rounds of a variant and keeps the problems and errors of any round', () => {
    const good = variant('routing-20', 'nonstream-32', load(1000));
    good.scenarios[0]!.gatewayCounters = { requestsByStatus: { '200': 10_000, '499': 3 }, errorsByCode: {} };
    const failed = variant('routing-20', 'nonstream-32', undefined);
    failed.scenarios[0]!.problems = ['status 400: no offer'];
    const slow = variant('routing-20', 'nonstream-32', load(500));
    slow.scenarios[0]!.gatewayCounters = { requestsByStatus: { '200': 5_000 }, errorsByCode: { upstream_timeout: 1 } };
    const crashed: VariantResult = { variant: 'routing-20', description: 'routing-20', error: 'gateway process exited', scenarios: [] };
    const merged = mergeVariantResults([good, failed, slow, crashed]);
    expect(merged.error).toBe('gateway process exited');
    expect(merged.scenarios).toHaveLength(1);
    const [entry] = merged.scenarios;
    expect(entry?.problems).toEqual(['status 400: no offer']);
    expect(entry?.run?.requests).toBe(15_000);
    expect(entry?.run?.requestsPerSecond).toBe(750);
    expect(entry?.gatewayCounters).toEqual({ requestsByStatus: { '200': 15_000, '499': 3 }, errorsByCode: { upstream_timeout: 1 } });
  });
});
