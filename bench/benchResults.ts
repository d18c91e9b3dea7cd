import type { AddedLatencyScenario, LoadScenario } from './benchScenarios.js';
import type { TargetName } from './benchTarget.js';
import type { VariantComparison, VariantId } from './benchVariant.js';
import type { AddedLatencyResult } from './measureAddedLatency.js';
import type { BenchOptions } from './parseBenchArgs.js';
import type { GatewayCounters } from './readGatewayCounters.js';
import type { LoadResult } from './runLoad.js';
import type { ProfileSummary } from './summarizeCpuProfile.js';

/** Problems found by the sample check before timing, per target; empty lists mean both samples were good. */
export type SampleProblems = Record<TargetName, string[]>;

export interface LoadScenarioResult {
  scenario: LoadScenario;
  problems: SampleProblems;
  /** Absent when a sample check failed (the scenario is then not timed). */
  runs: Partial<Record<TargetName, LoadResult>>;
  /** What the gateway itself counted during its timed runs. */
  gatewayCounters: GatewayCounters | undefined;
  profiles: Partial<Record<TargetName, ProfileSummary>>;
}

export interface AddedLatencyScenarioResult {
  scenario: AddedLatencyScenario;
  problems: SampleProblems;
  result: AddedLatencyResult | undefined;
  /** CPU time (µs) each process used during the loop. */
  processCpuMicros: { gateway: number; baseline: number; simulator: number } | undefined;
  gatewayCounters: GatewayCounters | undefined;
  profiles: Partial<Record<TargetName, ProfileSummary>>;
}

/** One load scenario against a variant's gateway alone (rounds merged). */
export interface VariantScenarioResult {
  scenario: LoadScenario;
  /** Problems the sample check found; empty when the sample was good (else the scenario is not timed). */
  problems: string[];
  run: LoadResult | undefined;
  gatewayCounters: GatewayCounters | undefined;
  /** Of the first round, when profiling. */
  profile: ProfileSummary | undefined;
}

export interface VariantResult {
  variant: VariantId;
  description: string;
  /** Why the variant was not (fully) measured (its store unreachable, its gateway failed to start); undefined when it ran. */
  error: string | undefined;
  scenarios: VariantScenarioResult[];
}

export interface BenchResults {
  options: BenchOptions;
  environment: { node: string; cpus: number; cpuModel: string; loadAverage: number[] };
  requestBodyBytes: { nonStream: number; stream: number };
  load: LoadScenarioResult[];
  addedLatency: AddedLatencyScenarioResult[];
  /** The gateway variants measured after the main run, in the order they ran. */
  variants: VariantResult[];
  /** The issues' requirements judged on `variants`. */
  comparisons: VariantComparison[];
  /** Bytes the gateway wrote to its log during the whole benchmark. */
  gatewayLogBytes: number;
}
