import type { Logger } from 'pino';
import type { BudgetDefinition, BudgetDefinitions } from '../limits/budgetDefinition.js';
import type { BudgetInput, GatewayStore, StoredBudget } from './gatewayStore.js';
import type { StoreEvents } from './storeEvents.js';

/** A change of budget definitions, announced once the cache holds it. */
export interface BudgetChange {
  /** `put`/`delete`: made on this instance; `reload`: made elsewhere (another instance, the CLI) and now read. */
  op: 'put' | 'delete' | 'reload';
  /** The budget put or deleted here. */
  budget?: StoredBudget;
  /** The key whose budgets changed; undefined when a global budget changed or it is not known (any key's may have). */
  keyId?: string;
}

/** Budget definitions for the limits: read from memory, told about every change. */
export interface BudgetDefinitionSource extends BudgetDefinitions {
  /** The key's own budgets plus the global ones; synchronous, from memory. */
  forKey(keyId: string): BudgetDefinition[];
  /** Every budget (key and global). */
  all(): readonly StoredBudget[];
  /** Calls `listener` after each change is in the cache (made here, on another instance, or found by a reload); returns an unsubscribe function. */
  onChange(listener: (change: BudgetChange) => void): () => void;
}

export interface BudgetDefinitionCacheOptions {
  store: Pick<GatewayStore, 'listBudgets' | 'putBudget' | 'deleteBudget'>;
  events: StoreEvents;
  logger: Logger;
  /** Without a live Redis subscription the cache re-reads the budgets this often (default 5 s). */
  reloadIntervalMs: number;
}

const EMPTY: readonly BudgetDefinition[] = [];

/**
 * All budget definitions in memory (they are few), so the request path never waits on the database. Changes made
 * through `put`/`delete` apply here at once, are published on Redis (`<prefix>budgets`) to the other instances, and
 * are handed to `onChange` listeners (the limits' own caches). Without Redis the budgets are re-read every
 * `reloadIntervalMs`; listeners hear of a difference as a `reload`.
 */
export class BudgetDefinitionCache implements BudgetDefinitionSource {
  private budgets: readonly StoredBudget[] = [];
  private byKey = new Map<string, BudgetDefinition[]>();
  private global: BudgetDefinition[] = [];
  private signature = '';
  private readonly listeners = new Set<(change: BudgetChange) => void>();
  private loading: Promise<boolean> = Promise.resolve(false);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BudgetDefinitionCacheOptions) {}

  async start(): Promise<void> {
    await this.load();
    this.options.events.subscribe('budgets', (message) => void this.reload(typeof message.keyId === 'string' ? message.keyId : undefined, true));
    this.options.events.onLiveChange((live) => {
      if (live) void this.reload();
    });
    this.timer = setInterval(() => {
      if (!this.options.events.live) void this.reload();
    }, this.options.reloadIntervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  forKey(keyId: string): BudgetDefinition[] {
    const own = this.byKey.get(keyId);
    if (own === undefined) return this.global.length === 0 ? (EMPTY as BudgetDefinition[]) : this.global;
    return [...own, ...this.global];
  }

  all(): readonly StoredBudget[] {
    return this.budgets;
  }

  onChange(listener: (change: BudgetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async put(input: BudgetInput, now: number): Promise<{ budget: StoredBudget; created: boolean }> {
    const result = await this.options.store.putBudget(input, now);
    await this.load();
    this.notify({ op: 'put', budget: result.budget, keyId: result.budget.keyId ?? undefined });
    await this.options.events.publish('budgets', { op: 'put', id: result.budget.id, keyId: result.budget.keyId });
    return result;
  }

  async delete(id: string): Promise<StoredBudget | undefined> {
    const deleted = await this.options.store.deleteBudget(id);
    if (deleted === undefined) return undefined;
    await this.load();
    this.notify({ op: 'delete', budget: deleted, keyId: deleted.keyId ?? undefined });
    await this.options.events.publish('budgets', { op: 'delete', id, keyId: deleted.keyId });
    return deleted;
  }

  /**
   * Re-reads every budget; listeners hear of it when something differs, or always when `announced` (another instance
   * said it changed something: it may already be in the cache through an earlier reload, but listeners must still know).
   */
  async reload(keyId?: string, announced = false): Promise<void> {
    try {
      const changed = await this.load();
      if (changed || announced) this.notify(keyId === undefined ? { op: 'reload' } : { op: 'reload', keyId });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not reload budgets from the store: keeping the ones in memory');
    }
  }

  /** Replaces the cache with the store's budgets; true when they differ from what was cached. Loads run one after another. */
  private load(): Promise<boolean> {
    const next = this.loading.catch(() => false).then(() => this.loadNow());
    this.loading = next;
    return next;
  }

  private async loadNow(): Promise<boolean> {
    const budgets = await this.options.store.listBudgets();
    const signature = JSON.stringify(budgets.map((budget) => [budget.id, budget.limitMicros, budget.enforce, budget.updatedAt]));
    if (signature === this.signature) return false;
    const byKey = new Map<string, BudgetDefinition[]>();
    const global: BudgetDefinition[] = [];
    for (const budget of budgets) {
      if (budget.scope === 'global' || budget.keyId === null) global.push(budget);
      else byKey.set(budget.keyId, [...(byKey.get(budget.keyId) ?? []), budget]);
    }
    this.budgets = budgets;
    this.byKey = byKey;
    this.global = global;
    this.signature = signature;
    return true;
  }

  private notify(change: BudgetChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error({ err: error }, 'budget change listener failed');
      }
    }
  }
}
