import type { Offer } from './offer.js';

export interface CatalogModel {
  id: string;
  aliases: readonly string[];
  ownedBy: string;
  /** Offers whose provider is configured: the ones routing may use (BYOK-only ones need a caller key). */
  offers: readonly Offer[];
}

/** Canonical models, their aliases and offers; lookups are exact, then case-insensitive. */
export class ModelCatalog {
  private readonly byName = new Map<string, CatalogModel>();
  private readonly byLowerName = new Map<string, CatalogModel>();
  private readonly models: readonly CatalogModel[];

  constructor(models: readonly CatalogModel[]) {
    this.models = models;
    for (const model of models) {
      for (const name of [model.id, ...model.aliases]) {
        this.byName.set(name, model);
        if (!this.byLowerName.has(name.toLowerCase())) this.byLowerName.set(name.toLowerCase(), model);
      }
    }
  }

  resolve(name: string): CatalogModel | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  /** Every model, including those with no usable offer. */
  all(): readonly CatalogModel[] {
    return this.models;
  }

  /** Models that can be called with the gateway's own keys (at least one offer that is not BYOK-only). */
  callable(): CatalogModel[] {
    return this.models.filter((model) => model.offers.some((offer) => !offer.byokOnly));
  }
}
