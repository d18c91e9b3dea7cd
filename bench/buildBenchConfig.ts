import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/parseConfig.js';
import type { Config } from '../src/config/configSchema.js';
import { BENCH_API_KEY, BENCH_MODEL, BENCH_UPSTREAM_MODEL, SIMULATOR_PROFILE } from './benchConstants.js';

export type BenchLogLevel = 'warn' | 'info';

/** One API key, one openai-type provider pointing at the simulator, one model with one offer; nothing else. */
export function buildBenchConfig(simulatorUrl: string, logLevel: BenchLogLevel): Config {
  return parseConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      catalog: 'none',
      // A ledger file of its own, as in production, that never mixes bench rows into ./data/switchyard.db.
      store: `sqlite:${join(tmpdir(), `switchyard-bench-${process.pid}.db`)}`,
      keys: [{ name: 'bench', key: BENCH_API_KEY }],
      providers: [{ id: 'sim', type: 'openai', base_url: `${simulatorUrl}/p/${SIMULATOR_PROFILE}/v1`, api_key: 'sk-bench-upstream' }],
      models: [{ id: BENCH_MODEL, offers: [{ provider: 'sim', upstream_model: BENCH_UPSTREAM_MODEL, price: { input: 0.15, output: 0.6 } }] }],
      logging: { level: logLevel },
    },
    {},
    'bench config',
  );
}
