import type { RoutingOptions } from '../core/chatRequest.js';
import type { Offer } from './offer.js';
import type { OfferStatsSnapshot } from './offerStats.js';

/** The figures routing uses for one offer: live measurements, else the configured starting values, else unknown. */
export interface OfferPerformance {
  ttftMs: number | undefined;
  tps: number | undefined;
  successRate: number | undefined;
  /** True when neither measurements nor starting values exist: the offer needs exploration traffic. */
  unmeasured: boolean;
}

export function offerPerformance(offer: Offer, snapshot: OfferStatsSnapshot, routing: RoutingOptions): OfferPerformance {
  const measuredTtft = routing.ttft_percentile === 'p95' ? snapshot.ttftP95 : snapshot.ttftP50;
  const measuredTps = routing.throughput_percentile === 'p95' ? snapshot.tpsP95 : snapshot.tpsP50;
  const ttftMs = measuredTtft ?? offer.expect.ttftMs;
  const tps = measuredTps ?? offer.expect.tps;
  return { ttftMs, tps, successRate: snapshot.successRate, unmeasured: ttftMs === undefined && tps === undefined };
}
