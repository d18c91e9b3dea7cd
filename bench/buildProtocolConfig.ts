import type { ConfigInput } from '../src/config/configSchema.js';
import { BENCH_MODEL, SIMULATOR_PROFILE } from './benchConstants.js';
import { buildBenchConfig, type BenchConfigOptions } from './buildBenchConfig.js';

export type NativeProtocol = 'anthropic' | 'gemini';

/** Real model ids, so the adapters take their ordinary path (no thinking unless asked: the same 20 tokens as the default run). */
const UPSTREAM_MODELS: Record<NativeProtocol, string> = {
  anthropic: 'claude-sonnet-4-5-20250929',
  gemini: 'gemini-2.5-flash',
};

/**
 * The default config with its one provider speaking Anthropic's Messages API or Gemini's generateContent
 * instead of OpenAI's; clients still send OpenAI chat completions to the gateway.
 */
export function buildProtocolConfig(options: BenchConfigOptions, protocol: NativeProtocol): ConfigInput {
  return {
    ...buildBenchConfig(options),
    // These adapters add their own version path (`/v1/messages`, `/v1beta/models/...`): the base is the profile root.
    providers: [{ id: 'sim', type: protocol, base_url: `${options.simulatorUrl}/p/${SIMULATOR_PROFILE}`, api_key: 'sk-bench-upstream' }],
    models: [{ id: BENCH_MODEL, offers: [{ provider: 'sim', upstream_model: UPSTREAM_MODELS[protocol], price: { input: 0.15, output: 0.6 } }] }],
  };
}
