import type { BudgetCounters, ReserveRequest, ReserveResult, SettleRequest } from './budgetCounters.js';
import type { RedisFailurePolicy } from './redisFailurePolicy.js';

/**
 * Redis counters with the `limits.on_redis_failure` policy: when Redis cannot be reached a reservation is made in
 * this instance's fallback counters (`open`) or refused with a 503 (`closed`); a settlement goes to the counters
 * that took the reservation.
 */
export class FailoverBudgetCounters implements BudgetCounters {
  /** Ids of the reservations made in the fallback counters and not settled yet. */
  private readonly onFallback = new Set<string>();

  constructor(
    private readonly primary: BudgetCounters,
    private readonly fallback: BudgetCounters,
    private readonly policy: RedisFailurePolicy,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    try {
      return await this.primary.reserve(request);
    } catch (error) {
      this.policy.fail('reserve', error, true);
    }
    const result = await this.fallback.reserve(request);
    if (result.ok) this.onFallback.add(request.id);
    return result;
  }

  async settle(request: SettleRequest): Promise<void> {
    if (this.onFallback.delete(request.id)) return this.fallback.settle(request);
    try {
      await this.primary.settle(request);
    } catch (error) {
      this.policy.fail('settle', error, false);
    }
  }
}
