import autocannon from 'autocannon';
import { LatencySamples } from './latencySamples.js';

export interface LoadOptions {
  /** Full URL of the chat endpoint. */
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Every 2xx response's latency from autocannon's `response` event (hrtime, not rounded to whole ms). */
  latency: LatencySamples;
  /** autocannon's own histogram figures (whole milliseconds), one entry per run merged into this result. */
  autocannonLatencyMs: { p50: number; p99: number }[];
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU time (user + system, µs) the target's process and the simulator's used during the run, when measured. */
  processCpuMicros?: { target: number; simulator: number };
}

/** One autocannon run (pipelining 1, keep-alive) against one target. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latency = new LatencySamples();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationSeconds,
        timeout: 10,
      },
      (error, result) => {
        if (error !== null) {
          reject(error);
          return;
        }
        const statusCodes: Record<string, number> = {};
        for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[status] = Number(stats.count);
        resolve({
          requests: result.requests.total,
          durationSeconds: result.duration,
          requestsPerSecond: result.requests.total / result.duration,
          latency,
          autocannonLatencyMs: [{ p50: result.latency.p50, p99: result.latency.p99 }],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latency.add(responseTime);
    });
  });
}
