import type { AuthenticatedKey } from '../auth/authenticatedKey.js';

/** Money set aside for one request before the upstream call; settled with the true cost afterwards. */
export interface BudgetReservation {
  /** `X-Budget-*` headers to send with the response. */
  headers: Record<string, string>;
  /** Replaces the reservation by what the request really cost (micro-USD); call exactly once. */
  settle(actualMicros: number): void;
}

/** Per-key and global budgets; throws 429 `budget_exhausted` when a reservation does not fit. */
export interface BudgetGuard {
  reserve(key: AuthenticatedKey, maxMicros: number, now: number): BudgetReservation | Promise<BudgetReservation>;
}
