// Child process: the gateway as `switchyard serve` runs it (pino to stdout, which the parent points at a file).
// argv: <simulator origin> <log level: warn | info>
import type { AddressInfo } from 'node:net';
import { createGateway } from '../src/createGateway.js';
import { announceReady } from './announceReady.js';
import { buildBenchConfig } from './buildBenchConfig.js';

const [simulatorUrl, logLevel = 'warn'] = process.argv.slice(2);
if (simulatorUrl === undefined || (logLevel !== 'warn' && logLevel !== 'info')) {
  process.stderr.write('usage: gatewayProcess.js <simulator origin> [warn|info]\n');
  process.exit(2);
}
const config = buildBenchConfig(simulatorUrl, logLevel);
const gateway = createGateway(config);
await gateway.start(); // opens the store (usage ledger) and applies its migrations
await gateway.app.listen({ host: config.listen.host, port: config.listen.port });
const { port } = gateway.app.server.address() as AddressInfo;
announceReady(`http://127.0.0.1:${port}`, () => gateway.close());
