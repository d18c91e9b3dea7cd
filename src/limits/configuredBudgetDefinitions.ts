import type { BudgetDefinition, BudgetDefinitions } from './budgetDefinition.js';

/**
 * Budgets written in the config file (`limits.budgets` for the whole gateway, `keys[].budgets` per key), combined
 * with the store's when there is one. A config budget and a store budget for the same scope and period both apply.
 */
export class ConfiguredBudgetDefinitions implements BudgetDefinitions {
  private readonly global: BudgetDefinition[];
  private readonly byKey = new Map<string, BudgetDefinition[]>();

  constructor(
    definitions: readonly BudgetDefinition[],
    private readonly store?: BudgetDefinitions,
  ) {
    this.global = definitions.filter((definition) => definition.scope === 'global');
    for (const definition of definitions) {
      if (definition.scope !== 'key' || definition.keyId === null) continue;
      const list = this.byKey.get(definition.keyId) ?? [];
      list.push(definition);
      this.byKey.set(definition.keyId, list);
    }
  }

  get empty(): boolean {
    return this.global.length === 0 && this.byKey.size === 0;
  }

  forKey(keyId: string): BudgetDefinition[] | Promise<BudgetDefinition[]> {
    const configured = [...(this.byKey.get(keyId) ?? []), ...this.global];
    if (this.store === undefined) return configured;
    const stored = this.store.forKey(keyId);
    return Array.isArray(stored) ? [...configured, ...stored] : stored.then((list) => [...configured, ...list]);
  }
}
