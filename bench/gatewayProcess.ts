// Child process: the gateway as `switchyard serve` runs it (pino to stdout, which the parent points at a file).
// argv: <config as JSON> (a bench variant's config input; validated here as `switchyard serve` validates its file)
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config/parseConfig.js';
import { createGateway } from '../src/createGateway.js';
import { announceReady } from './announceReady.js';

const configJson = process.argv[2];
if (configJson === undefined) {
  process.stderr.write('usage: gatewayProcess.js <config JSON>\n');
  process.exit(2);
}
const config = parseConfig(JSON.parse(configJson) as unknown, {}, 'bench config');
const gateway = createGateway(config);
await gateway.start(); // opens the store (usage ledger) and applies its migrations
await gateway.app.listen({ host: config.listen.host, port: config.listen.port });
const { port } = gateway.app.server.address() as AddressInfo;
announceReady(`http://127.0.0.1:${port}`, () => gateway.close());
