import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelSignal } from '../core/cancelSignal.js';
import { DispatchedResponse } from './dispatchedResponse.js';

function rawHeaders(headers: Record<string, string>): Buffer[] {
  return Object.entries(headers).flatMap(([name, value]) => [Buffer.from(name), Buffer.from(value)]);
}

/** Drives the handler callbacks as undici would, recording aborts and resumes. */
function started(signal = new CancelSignal()): { exchange: DispatchedResponse; aborts: (Error | undefined)[]; resumes: number[] } {
  const exchange = new DispatchedResponse(signal);
  const aborts: (Error | undefined)[] = [];
  const resumes: number[] = [];
  exchange.onConnect((error) => aborts.push(error));
  exchange.onHeaders(200, rawHeaders({ 'content-type': 'text/event-stream', 'x-ratelimit-remaining': '7' }), () => resumes.push(1));
  return { exchange, aborts, resumes };
}

async function readAll(iterable: AsyncIterable<Buffer | string>): Promise<(Buffer | string)[]> {
  const chunks: (Buffer | string)[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

describe('DispatchedResponse', () => {
  it('resolves with the status and parsed, lower-cased headers once they arrive', async () => {
    const exchange = new DispatchedResponse(new CancelSignal());
    exchange.onConnect(() => undefined);
    exchange.onHeaders(100, [], () => undefined);
    exchange.onHeaders(429, rawHeaders({ 'Retry-After': '3', 'Content-Type': 'application/json' }), () => undefined);
    const response = await exchange.started;
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toBe(exchange);
  });

  it('text() joins every chunk, whether it was called before or after the body ended', async () => {
    const early = started().exchange;
    const text = early.text();
    early.onData(Buffer.from('{"a":'));
    early.onData(Buffer.from('1}'));
    early.onComplete();
    expect(await text).toBe('{"a":1}');

    const late = started().exchange;
    late.onData(Buffer.from('hello '));
    late.onData(Buffer.from('world'));
    late.onComplete();
    expect(await late.text()).toBe('hello world');
  });

  it('iterates chunks as they come, joining those queued while nobody read', async () => {
    const { exchange } = started();
    const iterator = exchange[Symbol.asyncIterator]();
    const first = iterator.next();
    exchange.onData(Buffer.from('a'));
    expect((await first).value?.toString()).toBe('a');
    exchange.onData(Buffer.from('b'));
    exchange.onData(Buffer.from('c'));
    exchange.onComplete();
    expect((await iterator.next()).value?.toString()).toBe('bc');
    expect((await iterator.next()).done).toBe(true);
  });

  it('decodes UTF-8 characters split across chunks when an encoding is set', async () => {
    const { exchange } = started();
    exchange.setEncoding('utf8');
    const euro = Buffer.from('€'); // three bytes
    exchange.onData(Buffer.from([0x61, euro[0] as number]));
    const first = await exchange.next();
    expect(first.value).toBe('a');
    exchange.onData(euro.subarray(1));
    exchange.onComplete();
    expect((await exchange.next()).value).toBe('€');
    expect((await exchange.next()).done).toBe(true);
  });

  it('a character cut off by the end of the body comes out as a replacement character, then the end', async () => {
    const { exchange } = started();
    exchange.setEncoding('utf8');
    exchange.onData(Buffer.from([0x62, 0xe2, 0x82]));
    exchange.onComplete();
    expect(await readAll(exchange)).toEqual(['b', '\ufffd']);
  });

  it('asks undici to pause past the high-water mark and resumes once the reader caught up', async () => {
    const { exchange, resumes } = started();
    const big = Buffer.alloc(40 * 1024, 0x78);
    expect(exchange.onData(big)).toBe(true);
    expect(exchange.onData(big)).toBe(false);
    expect(resumes).toEqual([]);
    const step = await exchange.next();
    expect((step.value as Buffer).length).toBe(80 * 1024);
    expect(resumes).toEqual([1]);
  });

  it('never pauses while text() collects the whole body', () => {
    const { exchange } = started();
    void exchange.text();
    const big = Buffer.alloc(100 * 1024, 0x78);
    expect(exchange.onData(big)).toBe(true);
    expect(exchange.onData(big)).toBe(true);
  });

  it('an error before the headers rejects started; after them, the pending read', async () => {
    const before = new DispatchedResponse(new CancelSignal());
    before.onConnect(() => undefined);
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    before.onError(reset);
    await expect(before.started).rejects.toBe(reset);

    const { exchange } = started();
    const pending = exchange.next();
    exchange.onError(reset);
    await expect(pending).rejects.toBe(reset);
    await expect(exchange.text()).rejects.toBe(reset);
  });

  it('destroy() aborts the request through undici and fails a pending read', async () => {
    const { exchange, aborts } = started();
    const pending = exchange.next();
    const reason = new Error('client went away');
    exchange.destroy(reason);
    expect(aborts).toEqual([reason]);
    await expect(pending).rejects.toBe(reason);
    // undici then reports the abort; nothing changes.
    exchange.onError(reason);
  });

  it('the signal aborts a request still waiting for a connection as soon as undici connects it', async () => {
    const signal = new CancelSignal();
    const exchange = new DispatchedResponse(signal);
    const reason = new Error('deadline');
    signal.abort(reason);
    await expect(exchange.started).rejects.toBe(reason);
    const aborts: (Error | undefined)[] = [];
    exchange.onConnect((error) => aborts.push(error));
    expect(aborts).toEqual([reason]);
  });

  it('stops listening to the signal once the exchange is over', () => {
    const signal = new CancelSignal();
    const { exchange } = started(signal);
    expect(signal.listenerCount('abort')).toBe(1);
    exchange.onComplete();
    expect(signal.listenerCount('abort')).toBe(0);
  });
});

describe('DispatchedResponse over a real undici pool', () => {
  let server: Server;
  let pool: Pool;
  const body = 'x'.repeat(1024 * 1024);

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  });

  afterAll(async () => {
    await pool.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a large body read slowly, whole and in order, across pauses', async () => {
    const exchange = new DispatchedResponse(new CancelSignal());
    pool.dispatch({ method: 'GET', path: '/' }, exchange);
    const response = await exchange.started;
    expect(response.status).toBe(200);
    let received = '';
    for await (const chunk of response.body) {
      received += chunk.toString();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(received.length).toBe(body.length);
    expect(received).toBe(body);
  });

  it('the connection is reusable after a body was discarded midway', async () => {
    const discarded = new DispatchedResponse(new CancelSignal());
    pool.dispatch({ method: 'GET', path: '/' }, discarded);
    const response = await discarded.started;
    await response.body[Symbol.asyncIterator]().next();
    response.body.destroy();
    const next = new DispatchedResponse(new CancelSignal());
    pool.dispatch({ method: 'GET', path: '/' }, next);
    expect((await (await next.started).body.text()).length).toBe(body.length);
  });
});
