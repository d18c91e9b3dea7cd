import type { SpendHistory } from '../limits/budgetDefinition.js';

/**
 * What was spent: the store's sum plus the records still waiting in the ledger writer, so that a budget counter
 * started from it right after a burst is not short by the unwritten batch. The pending part is read first: a batch
 * that lands while the query runs is counted twice (a brief overcount) rather than not at all.
 */
export class LedgerSpendHistory implements SpendHistory {
  constructor(
    private readonly store: SpendHistory,
    private readonly pending: { pendingMicrosSince(keyId: string | null, sinceMs: number): number },
  ) {}

  async spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number> {
    const pending = this.pending.pendingMicrosSince(keyId, sinceMs);
    return (await this.store.spentMicrosSince(keyId, sinceMs)) + pending;
  }
}
