import type { Logger } from 'pino';
import type { BudgetDefinition, BudgetDefinitions } from './budgetDefinition.js';

/** How long a key's budgets are served without asking the store again (changes announced on Redis apply at once). */
export const DEFAULT_BUDGET_CACHE_TTL_MS = 30_000;

interface Entry {
  value: BudgetDefinition[] | undefined;
  loadedAt: number;
  loading: Promise<BudgetDefinition[]> | undefined;
}

/**
 * Keeps each key's budget definitions in memory so the request path does not wait on the store: the first request
 * of a key loads them, later ones are answered from memory and, once the entry is older than the TTL, refresh it in
 * the background. `invalidate` (called on a change notification) drops entries so the next request reads afresh.
 */
export class CachedBudgetDefinitions implements BudgetDefinitions {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by invalidate so that a load started before it does not store what it read. */
  private generation = 0;

  constructor(
    private readonly source: BudgetDefinitions,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = DEFAULT_BUDGET_CACHE_TTL_MS,
  ) {}

  forKey(keyId: string): BudgetDefinition[] | Promise<BudgetDefinition[]> {
    const entry = this.entries.get(keyId);
    if (entry?.value !== undefined) {
      if (entry.loading === undefined && this.clock() - entry.loadedAt >= this.ttlMs) {
        this.load(keyId, entry).catch((error: unknown) => this.logger.warn({ err: error, keyId }, 'could not refresh budgets; using the cached ones'));
      }
      return entry.value;
    }
    return entry?.loading ?? this.load(keyId, entry ?? this.newEntry(keyId));
  }

  /** Forgets one key's budgets, or every key's (a global budget changed, or the message did not say). */
  invalidate(keyId?: string): void {
    this.generation++;
    if (keyId === undefined) this.entries.clear();
    else this.entries.delete(keyId);
  }

  private newEntry(keyId: string): Entry {
    const entry: Entry = { value: undefined, loadedAt: 0, loading: undefined };
    this.entries.set(keyId, entry);
    return entry;
  }

  private load(keyId: string, entry: Entry): Promise<BudgetDefinition[]> {
    const generation = this.generation;
    let answer: BudgetDefinition[] | Promise<BudgetDefinition[]>;
    try {
      answer = this.source.forKey(keyId);
    } catch (error) {
      answer = Promise.reject(error);
    }
    const loading = Promise.resolve(answer).then(
      (value) => {
        entry.loading = undefined;
        if (generation === this.generation) {
          entry.value = value;
          entry.loadedAt = this.clock();
        }
        return value;
      },
      (error: unknown) => {
        entry.loading = undefined;
        throw error;
      },
    );
    entry.loading = loading;
    return loading;
  }
}
