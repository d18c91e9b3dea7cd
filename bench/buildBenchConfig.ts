import { join } from 'node:path';
import type { ConfigInput } from '../src/config/configSchema.js';
import { BENCH_API_KEY, BENCH_MODEL, BENCH_UPSTREAM_MODEL, SIMULATOR_PROFILE } from './benchConstants.js';

export type BenchLogLevel = 'warn' | 'info';

export interface BenchConfigOptions {
  simulatorUrl: string;
  logLevel: BenchLogLevel;
  /** The `store:` value. */
  store: string;
}

/** One API key, one openai-type provider pointing at the simulator, one model with one offer; nothing else. */
export function buildBenchConfig(options: BenchConfigOptions): ConfigInput {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    catalog: 'none',
    store: options.store,
    keys: [{ name: 'bench', key: BENCH_API_KEY }],
    providers: [{ id: 'sim', type: 'openai', base_url: `${options.simulatorUrl}/p/${SIMULATOR_PROFILE}/v1`, api_key: 'sk-bench-upstream' }],
    models: [{ id: BENCH_MODEL, offers: [{ provider: 'sim', upstream_model: BENCH_UPSTREAM_MODEL, price: { input: 0.15, output: 0.6 } }] }],
    logging: { level: options.logLevel },
  };
}

/** A ledger file of its own in the benchmark's work directory (deleted at the end), never ./data/switchyard.db. */
export function benchSqliteStore(workDir: string, name: string): string {
  return `sqlite:${join(workDir, `${name}.db`)}`;
}
