import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import type { BenchTarget } from './benchTarget.js';
import { LatencySamples } from './latencySamples.js';

export interface AddedLatencyResult {
  stream: boolean;
  pairs: number;
  durationSeconds: number;
  /** Request sent → last body byte read, per target, in ms. */
  gateway: LatencySamples;
  baseline: LatencySamples;
  /** Gateway minus baseline latency of each back-to-back pair, in ms. */
  pairedDifference: LatencySamples;
  non2xx: { gateway: number; baseline: number };
}

/**
 * The µs-precise figure autocannon cannot give: one keep-alive connection per target, strictly sequential
 * requests, gateway and baseline interleaved request by request (first one, then the other, swapping the
 * order each pair) so that noise on this shared box hits both alike.
 */
export async function measureAddedLatency(
  gateway: BenchTarget,
  baseline: BenchTarget,
  body: string,
  stream: boolean,
  durationSeconds: number,
): Promise<AddedLatencyResult> {
  const gatewayClient = new Client(new URL(gateway.url).origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const baselineClient = new Client(new URL(baseline.url).origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const result: AddedLatencyResult = {
    stream,
    pairs: 0,
    durationSeconds: 0,
    gateway: new LatencySamples(),
    baseline: new LatencySamples(),
    pairedDifference: new LatencySamples(),
    non2xx: { gateway: 0, baseline: 0 },
  };
  const timeOne = async (client: Client, target: BenchTarget): Promise<number> => {
    const path = new URL(target.url).pathname;
    const started = performance.now();
    const response = await client.request({ method: 'POST', path, headers: target.headers, body });
    await response.body.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.statusCode < 200 || response.statusCode >= 300) result.non2xx[target.name]++;
    return elapsed;
  };
  try {
    const started = performance.now();
    const deadline = started + durationSeconds * 1000;
    while (performance.now() < deadline) {
      let gatewayMs: number;
      let baselineMs: number;
      if (result.pairs % 2 === 0) {
        gatewayMs = await timeOne(gatewayClient, gateway);
        baselineMs = await timeOne(baselineClient, baseline);
      } else {
        baselineMs = await timeOne(baselineClient, baseline);
        gatewayMs = await timeOne(gatewayClient, gateway);
      }
      result.gateway.add(gatewayMs);
      result.baseline.add(baselineMs);
      result.pairedDifference.add(gatewayMs - baselineMs);
      result.pairs++;
    }
    result.durationSeconds = (performance.now() - started) / 1000;
    return result;
  } finally {
    await Promise.all([gatewayClient.close(), baselineClient.close()]);
  }
}
