import type { GatewayError } from '../core/gatewayError.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerView {
  state: BreakerState;
  /** When an open breaker half-opens (ms), 0 otherwise. */
  openUntil: number;
  consecutiveFailures: number;
}

/** Per-offer circuit breakers: what routing may use now, learned from the gateway's own traffic. */
export interface OfferHealth {
  /** 0 when the offer may be tried at `now`, else the time (ms) it may be tried again. */
  blockedUntil(offerKey: string, now: number): number;
  /** An attempt is starting: a half-open breaker lets only this one probe through until it ends. */
  onAttempt(offerKey: string, now: number): void;
  recordSuccess(offerKey: string, now: number): void;
  recordFailure(offerKey: string, error: GatewayError, now: number): void;
  describe(offerKey: string, now: number): BreakerView;
}
