import { isExhausted, NO_SEED, type BudgetCounters, type BudgetWindow, type ReserveRequest, type ReserveResult, type SettleRequest, type SpendSeed } from './budgetCounters.js';

interface Counter {
  end: number;
  spent: number;
  reserved: number;
  /** Reservation id → amount and expiry, in insertion order (≈ expiry order: every reservation gets the same TTL). */
  reservations: Map<string, { amount: number; expiresAt: number }>;
}

/** Counters of periods that ended this long ago are dropped (late settlements for them are then ignored). */
const RETAIN_AFTER_END_MS = 86_400_000;

/**
 * Budget counters of a single gateway instance. A counter starts from what the ledger says was already spent in
 * its period (`seed`), so a restart does not forget it; after that, reserve is synchronous between awaits and
 * therefore atomic within the process.
 */
export class MemoryBudgetCounters implements BudgetCounters {
  private readonly counters = new Map<string, Counter>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(private readonly seed: SpendSeed = NO_SEED) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const missing = request.windows.filter((window) => !this.counters.has(window.counter));
    if (missing.length > 0) await Promise.all(missing.map((window) => this.load(window, request.now)));
    // From here to the return nothing awaits: the check and the reservation are one step.
    const counters = request.windows.map((window) => this.counters.get(window.counter) as Counter);
    const spentMicros: number[] = [];
    const exhausted: number[] = [];
    counters.forEach((counter, index) => {
      purgeExpired(counter, request.now);
      spentMicros.push(counter.spent);
      if (isExhausted(request.windows[index] as BudgetWindow, counter.spent, counter.reserved)) exhausted.push(index);
    });
    if (exhausted.length > 0) return { ok: false, spentMicros, exhausted };
    for (const counter of counters) {
      counter.reservations.set(request.id, { amount: request.amountMicros, expiresAt: request.expiresAt });
      counter.reserved += request.amountMicros;
    }
    return { ok: true, spentMicros, exhausted };
  }

  async settle(request: SettleRequest): Promise<void> {
    for (const window of request.windows) {
      const counter = this.counters.get(window.counter);
      if (counter === undefined) continue;
      const reservation = counter.reservations.get(request.id);
      if (reservation !== undefined) {
        counter.reservations.delete(request.id);
        counter.reserved -= reservation.amount;
      }
      counter.spent += request.actualMicros;
    }
  }

  private load(window: BudgetWindow, now: number): Promise<void> {
    let loading = this.loading.get(window.counter);
    if (loading === undefined) {
      loading = this.seed(window)
        .then((spent) => {
          this.dropEnded(now);
          if (!this.counters.has(window.counter)) this.counters.set(window.counter, { end: window.end, spent, reserved: 0, reservations: new Map() });
        })
        .finally(() => this.loading.delete(window.counter));
      this.loading.set(window.counter, loading);
    }
    return loading;
  }

  private dropEnded(now: number): void {
    for (const [name, counter] of this.counters) if (counter.end + RETAIN_AFTER_END_MS <= now) this.counters.delete(name);
  }
}

function purgeExpired(counter: Counter, now: number): void {
  for (const [id, reservation] of counter.reservations) {
    if (reservation.expiresAt > now) break;
    counter.reservations.delete(id);
    counter.reserved -= reservation.amount;
  }
}
