import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/simulatorServer.js';
import { spawnGateway, type SpawnedGateway } from '../support/spawnGateway.js';
import { TEST_API_KEY } from '../support/startStack.js';
import { createSqliteFile } from './support/testDatabases.js';

/**
 * The built gateway as its own process (`node dist/src/main.js serve`), with a SQLite ledger file: SIGTERM lets
 * streams finish and flushes the ledger; kill -9 loses at most what the batch size bounds.
 */

let simulator: Simulator;
const gateways: SpawnedGateway[] = [];
const files: ReturnType<typeof createSqliteFile>[] = [];

beforeAll(async () => {
  simulator = await startSimulator({
    profiles: [
      // About 1.5 s per stream: 30 tokens at 20 tokens/s after 100 ms.
      { id: 'slow', defaults: { ttftMs: 100, tokensPerSecond: 20, completionTokens: 30 } },
      { id: 'fast', defaults: { ttftMs: 0, completionTokens: 5 } },
    ],
  });
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop('SIGKILL')));
});

afterAll(async () => {
  await simulator?.close();
  for (const file of files) await file.drop();
});

function gatewayConfig(store: string, ledger: { batch_size: number; flush_interval_ms: number }) {
  return {
    catalog: 'none',
    store,
    ledger,
    logging: { level: 'info' },
    keys: [{ name: 'test', key: TEST_API_KEY }],
    providers: [
      { id: 'slow', type: 'openai', base_url: simulator.profileUrl('slow') },
      { id: 'fast', type: 'openai', base_url: simulator.profileUrl('fast') },
    ],
    models: [
      { id: 'slow-model', offers: [{ provider: 'slow', upstream_model: 'sim-slow', price: { input: 1, output: 2 } }] },
      { id: 'fast-model', offers: [{ provider: 'fast', upstream_model: 'sim-fast', price: { input: 1, output: 2 } }] },
    ],
  };
}

function ledgerRows(path: string): { request_id: string; status: number; stream: number; completion_tokens: number }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT request_id, status, stream, completion_tokens FROM usage_records').all() as { request_id: string; status: number; stream: number; completion_tokens: number }[];
  } finally {
    db.close();
  }
}

/** Opens a stream and resolves once its first chunk arrived; `rest` resolves with the whole body. */
async function openStream(baseUrl: string): Promise<{ requestId: string; rest: Promise<string> }> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'slow-model', stream: true, messages: [{ role: 'user', content: 'Tell me a story' }] }),
  });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const first = await reader.read();
  let text = decoder.decode(first.value, { stream: true });
  const rest = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { requestId: response.headers.get('x-request-id') ?? '', rest };
}

describe('SIGTERM', () => {
  it('lets every stream finish with [DONE], writes one ledger row per request, and exits 0', async () => {
    const file = createSqliteFile();
    files.push(file);
    // A batch and interval no test reaches: rows can only come from the flush at shutdown.
    const gateway = await spawnGateway(gatewayConfig(file.store, { batch_size: 1000, flush_interval_ms: 60_000 }));
    gateways.push(gateway);
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(gateway.baseUrl)));
    const exit = gateway.stop('SIGTERM');
    const bodies = await Promise.all(streams.map((stream) => stream.rest));
    for (const body of bodies) {
      const events = body.split('\n\n').filter((block) => block.startsWith('data: '));
      expect(events.at(-1)).toBe('data: [DONE]');
      const usage = JSON.parse((events.at(-2) ?? '').slice('data: '.length)) as { usage?: { completion_tokens: number } };
      expect(usage.usage?.completion_tokens).toBe(30);
    }
    expect(await exit).toBe(0);
    gateways.splice(gateways.indexOf(gateway), 1);
    expect(gateway.output()).toContain('usage ledger flushed');
    const rows = ledgerRows(file.path);
    expect(rows.map((row) => row.request_id).sort()).toEqual(streams.map((stream) => stream.requestId).sort());
    for (const row of rows) expect(row).toMatchObject({ status: 200, stream: 1, completion_tokens: 30 });
  });

  it('refuses new connections once shutting down', async () => {
    const file = createSqliteFile();
    files.push(file);
    const gateway = await spawnGateway(gatewayConfig(file.store, { batch_size: 100, flush_interval_ms: 250 }));
    gateways.push(gateway);
    const stream = await openStream(gateway.baseUrl);
    const exit = gateway.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await fetch(`${gateway.baseUrl}/health`).then((response) => response.status, () => 'refused');
    expect(late === 'refused' || late === 503).toBe(true);
    expect((await stream.rest).trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await exit).toBe(0);
    gateways.splice(gateways.indexOf(gateway), 1);
    expect(ledgerRows(file.path)).toHaveLength(1);
  });
});

describe('the store refusing writes', () => {
  it('keeps the records in the spill file through a SIGTERM, and the next start writes them to the store once', async () => {
    const file = createSqliteFile();
    files.push(file);
    const config = gatewayConfig(file.store, { batch_size: 100, flush_interval_ms: 250 });
    const gateway = await spawnGateway(config);
    gateways.push(gateway);
    // The table disappears under the running gateway: every write of its ledger fails as a broken store's would.
    const admin = new Database(file.path);
    admin.exec('ALTER TABLE usage_records RENAME TO usage_records_away');
    const requestIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fast-model', messages: [{ role: 'user', content: `outage ${i}` }] }),
      });
      expect(response.status).toBe(200);
      requestIds.push(response.headers.get('x-request-id') ?? '');
    }
    expect(await gateway.stop('SIGTERM')).toBe(0);
    gateways.splice(gateways.indexOf(gateway), 1);
    expect(gateway.output()).toContain('records kept in the spill file');
    const spillPath = join(dirname(file.path), 'ledger-spill.jsonl');
    const spilled = readFileSync(spillPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { requestId: string; recordId: string });
    expect(spilled.map((record) => record.requestId).sort()).toEqual([...requestIds].sort());

    admin.exec('ALTER TABLE usage_records_away RENAME TO usage_records');
    admin.close();
    const restarted = await spawnGateway(config);
    gateways.push(restarted);
    expect(existsSync(spillPath)).toBe(false);
    expect(restarted.output()).toContain('spilled records written to the store');
    const metrics = await (await fetch(`${restarted.baseUrl}/metrics`)).text();
    expect(metrics).toContain('switchyard_ledger_records_total{outcome="replayed"} 4');
    expect(metrics).toContain('switchyard_ledger_records_total{outcome="dropped"} 0');
    expect(await restarted.stop('SIGTERM')).toBe(0);
    gateways.splice(gateways.indexOf(restarted), 1);
    const rows = ledgerRows(file.path);
    expect(rows.map((row) => row.request_id).sort()).toEqual([...requestIds].sort());
    for (const row of rows) expect(row).toMatchObject({ status: 200, stream: 0, completion_tokens: 5 });
  }, 30_000);
});

describe('kill -9 under load', () => {
  it('loses at most one batch of ledger rows, and the gateway starts again on the same file', async () => {
    const BATCH_SIZE = 50;
    const CONCURRENCY = 20;
    const file = createSqliteFile();
    files.push(file);
    const config = gatewayConfig(file.store, { batch_size: BATCH_SIZE, flush_interval_ms: 250 });
    const gateway = await spawnGateway(config);
    gateways.push(gateway);
    simulator.clearRequests();

    let running = true;
    let answered = 0;
    const loop = async () => {
      while (running) {
        try {
          const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'fast-model', messages: [{ role: 'user', content: 'ping' }] }),
          });
          await response.text();
          if (response.status === 200) answered++;
        } catch {
          return; // the gateway is gone
        }
      }
    };
    const loops = Array.from({ length: CONCURRENCY }, loop);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await gateway.stop('SIGKILL')).toBeNull();
    gateways.splice(gateways.indexOf(gateway), 1); // stopped: stop() would wait for an exit that has happened
    running = false;
    await Promise.all(loops);

    // Requests the simulator answered in full; each was (or was about to be) a ledger row in the killed gateway.
    const served = simulator.requests.filter((request) => request.profile === 'fast' && request.completed).length;
    expect(answered).toBeGreaterThan(200);
    const restarted = await spawnGateway(config);
    gateways.push(restarted);
    const rows = ledgerRows(file.path).length;
    expect(rows).toBeLessThanOrEqual(served);
    // Lost: the unwritten queue (bounded by the batch size) plus the requests still inside the gateway when it died
    // (served by the simulator, not yet finished: at most one per concurrent client).
    expect(served - rows).toBeLessThanOrEqual(BATCH_SIZE + CONCURRENCY);
    // Requests whose response reached a client had been recorded: only the unwritten batch is missing among them.
    expect(answered - rows).toBeLessThanOrEqual(BATCH_SIZE);
    // The restarted gateway reads and writes the same file.
    const response = await fetch(`${restarted.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast-model', messages: [{ role: 'user', content: 'again' }] }),
    });
    expect(response.status).toBe(200);
    expect(await restarted.stop('SIGTERM')).toBe(0);
    gateways.splice(gateways.indexOf(restarted), 1);
    expect(ledgerRows(file.path)).toHaveLength(rows + 1);
    process.stdout.write(`kill -9: ${answered} answered, ${served} served by the simulator, ${rows} ledger rows (batch ${BATCH_SIZE})\n`);
  });
});
