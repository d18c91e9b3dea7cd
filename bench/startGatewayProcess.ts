import { closeSync, openSync } from 'node:fs';
import type { ConfigInput } from '../src/config/configSchema.js';
import { startChildProcess, type ChildHandle } from './startChildProcess.js';

/** Forks a gateway with `config`; it logs like `switchyard serve` does, to stdout, which goes to `logPath`. */
export async function startGatewayProcess(name: string, config: ConfigInput, logPath: string): Promise<ChildHandle> {
  const logFd = openSync(logPath, 'w');
  try {
    return await startChildProcess({ name, module: 'gatewayProcess.js', args: [JSON.stringify(config)], stdout: logFd });
  } finally {
    // The child has its own copy of the descriptor.
    closeSync(logFd);
  }
}
