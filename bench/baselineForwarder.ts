// Child process: the floor the gateway is compared with. node:http in, undici Pool out, no parsing:
// the request body goes to the simulator as it came, the response streams back as it comes.
// argv: <simulator origin>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { announceReady } from './announceReady.js';
import { SIMULATOR_PROFILE } from './benchConstants.js';

const simulatorUrl = process.argv[2];
if (simulatorUrl === undefined) {
  process.stderr.write('usage: baselineForwarder.js <simulator origin>\n');
  process.exit(2);
}
const upstreamPath = `/p/${SIMULATOR_PROFILE}/v1/chat/completions`;
// Same pool settings as the gateway's UndiciTransport.
const pool = new Pool(simulatorUrl, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    pool
      .stream({ method: 'POST', path: upstreamPath, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }, ({ statusCode, headers }) => {
        response.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
        return response;
      })
      .catch(() => {
        if (response.headersSent) response.destroy();
        else response.writeHead(502).end();
      });
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  announceReady(`http://127.0.0.1:${port}`, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  });
});
