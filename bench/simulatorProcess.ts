// Child process: the provider simulator at 0 ms latency, on its own event loop.
import { startSimulator } from '../src/simulator/simulatorServer.js';
import { announceReady } from './announceReady.js';
import { COMPLETION_TOKENS, SIMULATOR_PROFILE, STREAM_CHUNKS } from './benchConstants.js';

const simulator = await startSimulator({
  profiles: [{ id: SIMULATOR_PROFILE, defaults: { ttftMs: 0, tokensPerSecond: 0, completionTokens: COMPLETION_TOKENS, chunks: STREAM_CHUNKS } }],
  record: false,
});
announceReady(simulator.url, () => simulator.close());
