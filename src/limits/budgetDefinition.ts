export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

/** A spending limit (contract §9): per key or for the whole gateway, per UTC period (weeks start on Monday). */
export interface BudgetDefinition {
  scope: 'key' | 'global';
  /** The key's id for `key` scope, null for `global`. */
  keyId: string | null;
  period: BudgetPeriod;
  limitMicros: number;
  /** false: tracked and reported in headers, but never refuses a request. */
  enforce: boolean;
}

/** Where budgets are defined (the store); implementations cache so the request path does not wait on a database. */
export interface BudgetDefinitions {
  /** The key's own budgets plus the global ones. */
  forKey(keyId: string): BudgetDefinition[] | Promise<BudgetDefinition[]>;
}

/** What has been spent, from the usage ledger: used to start a period's counter from the truth after a restart. */
export interface SpendHistory {
  spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number>;
}
