import type { GatewayError } from '../core/gatewayError.js';

/** What the gateway learns about an offer from its own traffic. */
export interface OfferHealth {
  /** 0 when the offer may be used at `now`, else the time (ms) it becomes usable again. */
  blockedUntil(offerKey: string, now: number): number;
  recordSuccess(offerKey: string, now: number): void;
  recordFailure(offerKey: string, error: GatewayError, now: number): void;
}

interface HealthState {
  consecutiveFailures: number;
  blockedUntil: number;
}

/**
 * In-memory health: an offer is fenced off while a provider's Retry-After runs, and for a cool-down after
 * several failures in a row; it is tried again once the time has passed, and a success clears it.
 */
export class MemoryOfferHealth implements OfferHealth {
  private readonly states = new Map<string, HealthState>();

  constructor(private readonly options: { failureThreshold: number; coolDownMs: number } = { failureThreshold: 3, coolDownMs: 30_000 }) {}

  blockedUntil(offerKey: string, now: number): number {
    const state = this.states.get(offerKey);
    return state === undefined || state.blockedUntil <= now ? 0 : state.blockedUntil;
  }

  recordSuccess(offerKey: string): void {
    if (this.states.has(offerKey)) this.states.delete(offerKey);
  }

  recordFailure(offerKey: string, error: GatewayError, now: number): void {
    // Only failures that say something about the provider count; a bad request is the caller's.
    if (!error.fallback && !error.retryable) return;
    let state = this.states.get(offerKey);
    if (state === undefined) {
      state = { consecutiveFailures: 0, blockedUntil: 0 };
      this.states.set(offerKey, state);
    }
    state.consecutiveFailures++;
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) {
      state.blockedUntil = Math.max(state.blockedUntil, now + error.retryAfterSeconds * 1000);
    }
    if (state.consecutiveFailures >= this.options.failureThreshold) {
      state.blockedUntil = Math.max(state.blockedUntil, now + this.options.coolDownMs);
      // One probe is let through after the cool-down; another failure closes the gate again.
      state.consecutiveFailures = this.options.failureThreshold - 1;
    }
  }
}
