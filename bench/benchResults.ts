import type { AddedLatencyScenario, LoadScenario } from './benchScenarios.js';
import type { TargetName } from './benchTarget.js';
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

export interface BenchResults {
  options: BenchOptions;
  environment: { node: string; cpus: number; cpuModel: string; loadAverage: number[] };
  requestBodyBytes: { nonStream: number; stream: number };
  load: LoadScenarioResult[];
  addedLatency: AddedLatencyScenarioResult[];
  /** Bytes the gateway wrote to its log during the whole benchmark. */
  gatewayLogBytes: number;
}
