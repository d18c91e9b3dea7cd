import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthenticatedKey } from '../auth/authenticatedKey.js';
import type { BudgetDefinitions } from './budgetDefinition.js';
import type { BudgetGuard, BudgetReservation } from './budgetGuard.js';
import { budgetWindow, type BudgetCounters } from './budgetCounters.js';
import { budgetExhaustedError, budgetHeaders } from './budgetResponse.js';
import { unlimitedBudgets } from './unlimited.js';

/** Default life of a reservation that is never settled (a crash): long enough for any request to finish. */
export const DEFAULT_RESERVATION_TTL_MS = 15 * 60_000;

export interface CountingBudgetGuardOptions {
  /** Budget definitions; wrap the store's in CachedBudgetDefinitions so the request path does not wait on it. */
  definitions: BudgetDefinitions;
  counters: BudgetCounters;
  logger: Logger;
  /** Wall-clock ms, for settlements. */
  clock?: () => number;
  reservationTtlMs?: number;
}

/**
 * Budgets per key and global: before the upstream call the request's maximum cost is reserved in every budget that
 * applies (key and global, each in its current UTC period); afterwards the reservation is replaced by the real cost.
 * Where the counters live (memory, Redis, Postgres) is the `counters` backend's business.
 */
export class CountingBudgetGuard implements BudgetGuard {
  private readonly clock: () => number;
  private readonly reservationTtlMs: number;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: CountingBudgetGuardOptions) {
    this.clock = options.clock ?? Date.now;
    this.reservationTtlMs = options.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS;
  }

  async reserve(key: AuthenticatedKey, maxMicros: number, now: number): Promise<BudgetReservation> {
    const definitions = await this.options.definitions.forKey(key.keyId);
    if (definitions.length === 0) return unlimitedBudgets.reserve(key, maxMicros, now);
    const windows = definitions.map((definition) => budgetWindow(definition, now));
    const id = randomUUID();
    const result = await this.options.counters.reserve({ id, amountMicros: maxMicros, now, expiresAt: now + this.reservationTtlMs, windows });
    const headers = budgetHeaders(windows, result.spentMicros);
    if (!result.ok) throw budgetExhaustedError(windows, result.exhausted, now, headers);
    let settled = false;
    return {
      headers,
      settle: (actualMicros: number) => {
        if (settled) return;
        settled = true;
        const settling: Promise<void> = this.options.counters
          .settle({ id, reservedMicros: maxMicros, actualMicros: Math.max(0, actualMicros), windows, now: this.clock() })
          .catch((error: unknown) => this.options.logger.error({ err: error, keyId: key.keyId }, 'budget settlement failed; the reservation will expire'))
          .finally(() => this.pending.delete(settling));
        this.pending.add(settling);
      },
    };
  }

  /** Resolves when every settlement started so far has been written (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
