import { Pool } from 'undici';
import { DispatchedResponse } from './dispatchedResponse.js';
import type { UpstreamCall, UpstreamResponse, UpstreamTransport } from './upstreamTransport.js';
import { toUpstreamError } from './toUpstreamError.js';

const KEEP_ALIVE_MS = 30_000;

/** Upstream I/O over undici keep-alive pools, one per origin. */
export class UndiciTransport implements UpstreamTransport {
  private readonly pools = new Map<string, Pool>();
  /** Upstream URLs are a handful of fixed strings per provider: parse each once. */
  private readonly targets = new Map<string, { origin: string; path: string }>();

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const target = this.targetOf(call.request.url);
    const pool = this.poolFor(target.origin, call);
    const exchange = new DispatchedResponse(call.signal);
    try {
      pool.dispatch(
        {
          method: 'POST',
          path: target.path,
          headers: call.request.headers,
          body: call.request.body,
          headersTimeout: call.timeouts.firstByteMs,
          bodyTimeout: call.timeouts.idleMs,
        },
        exchange,
      );
      return await exchange.started;
    } catch (error) {
      if (call.signal.aborted) throw error;
      throw toUpstreamError(error);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => pool.destroy())));
  }

  private targetOf(url: string): { origin: string; path: string } {
    let target = this.targets.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      // Gemini URLs carry the model name; bound the cache all the same.
      if (this.targets.size >= 10_000) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  private poolFor(origin: string, call: UpstreamCall): Pool {
    const key = `${origin}|${call.timeouts.connectMs}|${call.maxConnections}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: call.maxConnections,
        pipelining: 1,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connect: { timeout: call.timeouts.connectMs },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }
}
