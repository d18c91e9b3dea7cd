/** Fixed names shared by the benchmark's processes. */

/** The one gateway API key (format `ak_test_` + 32 base62 characters). */
export const BENCH_API_KEY = 'ak_test_' + 'BenchBenchBenchBenchBenchBench42';
/** The model clients ask for; the gateway has one offer for it. */
export const BENCH_MODEL = 'bench-model';
/** What the gateway sends upstream for `BENCH_MODEL`. */
export const BENCH_UPSTREAM_MODEL = 'sim-bench';
/** Simulator profile both targets forward to; its defaults fix the reply size so both see the same upstream work. */
export const SIMULATOR_PROFILE = 'bench';
export const COMPLETION_TOKENS = 20;
export const STREAM_CHUNKS = 20;
/** Chat path on the gateway and on the baseline forwarder. */
export const CHAT_PATH = '/v1/chat/completions';
