import type { GatewayError } from '../core/gatewayError.js';
import type { BreakerView, OfferHealth } from './offerHealth.js';

export interface BreakerOptions {
  /** Retryable failures in a row that open the breaker. */
  failureThreshold: number;
  /** First cool-down; it doubles each time a probe fails, up to `maxCoolDownMs`. */
  coolDownMs: number;
  maxCoolDownMs: number;
  /** A probe that has not finished after this long no longer holds the half-open gate. */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, coolDownMs: 15_000, maxCoolDownMs: 300_000, probeTimeoutMs: 60_000 };

interface BreakerRecord {
  consecutiveFailures: number;
  openUntil: number;
  coolDownMs: number;
  /** Set once the breaker has opened: after `openUntil` it is half-open, not closed. */
  tripped: boolean;
  probeStartedAt: number;
}

/**
 * Circuit breakers in this process: open after repeated provider-side failures or a 429 with Retry-After,
 * half-open after the cool-down (one probe at a time), closed again by a success.
 */
export class MemoryOfferHealth implements OfferHealth {
  private readonly breakers = new Map<string, BreakerRecord>();
  /** Told when this instance opens or closes a breaker (to share it with other instances). */
  onTransition: ((offerKey: string, openUntil: number) => void) | undefined;

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  /** Applies a breaker opened elsewhere (another instance) until `openUntil`. */
  applyOpen(offerKey: string, openUntil: number): void {
    const record = this.recordFor(offerKey);
    record.tripped = true;
    record.openUntil = Math.max(record.openUntil, openUntil);
  }

  /** Applies a breaker closed elsewhere. */
  applyClose(offerKey: string): void {
    this.breakers.delete(offerKey);
  }

  blockedUntil(offerKey: string, now: number): number {
    const record = this.breakers.get(offerKey);
    if (record === undefined) return 0;
    if (record.openUntil > now) return record.openUntil;
    if (record.tripped && record.probeStartedAt > 0 && now - record.probeStartedAt < this.options.probeTimeoutMs) {
      // Half-open with a probe in flight: others wait for its outcome.
      return now + 1_000;
    }
    return 0;
  }

  onAttempt(offerKey: string, now: number): void {
    const record = this.breakers.get(offerKey);
    if (record !== undefined && record.tripped && record.openUntil <= now) record.probeStartedAt = now;
  }

  recordSuccess(offerKey: string, _now?: number): void {
    const record = this.breakers.get(offerKey);
    if (record === undefined) return;
    this.breakers.delete(offerKey);
    if (record.tripped) this.onTransition?.(offerKey, 0);
  }

  recordFailure(offerKey: string, error: GatewayError, now: number): void {
    // Only failures that say something about the provider count; a bad request is the caller's.
    if (!error.fallback && !error.retryable) return;
    const record = this.recordFor(offerKey);
    record.consecutiveFailures++;
    const wasProbe = record.tripped && record.openUntil <= now;
    record.probeStartedAt = 0;
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0 && error.status === 429) {
      this.open(offerKey, record, now, error.retryAfterSeconds * 1000);
    } else if (wasProbe) {
      record.coolDownMs = Math.min(record.coolDownMs * 2, this.options.maxCoolDownMs);
      this.open(offerKey, record, now, record.coolDownMs);
    } else if (record.consecutiveFailures >= this.options.failureThreshold) {
      this.open(offerKey, record, now, Math.max(record.coolDownMs, (error.retryAfterSeconds ?? 0) * 1000));
    }
  }

  describe(offerKey: string, now: number): BreakerView {
    const record = this.breakers.get(offerKey);
    if (record === undefined) return { state: 'closed', openUntil: 0, consecutiveFailures: 0 };
    if (record.openUntil > now) return { state: 'open', openUntil: record.openUntil, consecutiveFailures: record.consecutiveFailures };
    return { state: record.tripped ? 'half-open' : 'closed', openUntil: 0, consecutiveFailures: record.consecutiveFailures };
  }

  private open(offerKey: string, record: BreakerRecord, now: number, durationMs: number): void {
    record.tripped = true;
    record.openUntil = Math.max(record.openUntil, now + durationMs);
    this.onTransition?.(offerKey, record.openUntil);
  }

  private recordFor(offerKey: string): BreakerRecord {
    let record = this.breakers.get(offerKey);
    if (record === undefined) {
      record = { consecutiveFailures: 0, openUntil: 0, coolDownMs: this.options.coolDownMs, tripped: false, probeStartedAt: 0 };
      this.breakers.set(offerKey, record);
    }
    return record;
  }
}
