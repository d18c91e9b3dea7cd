import type { ConfigInput } from '../src/config/configSchema.js';
import type { BenchLogLevel } from './buildBenchConfig.js';

/** Ids of the gateway variants; `default` is the gateway of the main run (gateway vs baseline). */
export const VARIANT_IDS = ['default', 'anthropic', 'gemini', 'routing-20', 'store-memory', 'store-sqlite', 'store-postgres-redis'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

/** What a variant's config builder gets from the runner. */
export interface VariantSetup {
  simulatorUrl: string;
  logLevel: BenchLogLevel;
  /** Deleted at the end of the benchmark: SQLite files go here. */
  workDir: string;
}

/** A variant's gateway config, and how to free what was made for it (a Postgres schema, Redis keys). */
export interface PreparedVariant {
  config: ConfigInput;
  cleanup(): Promise<void>;
}

/** A gateway config to measure, and the load scenarios it runs (against the gateway only: no baseline). */
export interface BenchVariant {
  id: VariantId;
  /** What differs from the default gateway, for the report. */
  description: string;
  /** Load scenario ids (`BENCH_SCENARIOS`) it runs when selected. */
  scenarioIds: readonly string[];
  /** The body clients send to this variant. */
  requestBody(stream: boolean): string;
  /** Builds the config; may create external state (schema, key prefix) that `cleanup` removes. */
  prepare(setup: VariantSetup): Promise<PreparedVariant>;
}

/** An issue's requirement: the variant's throughput on a scenario may lose at most `maxLossPercent` against the reference's. */
export interface VariantComparison {
  issue: string;
  variant: VariantId;
  reference: VariantId;
  scenarioId: string;
  maxLossPercent: number;
}
