import type { ModelConfig, OfferConfig } from '../config/configSchema.js';
import type { ParameterName } from '../core/chatRequest.js';
import { toOfferPrice } from '../pricing/offerPrice.js';
import { ModelCatalog, type CatalogModel } from './modelCatalog.js';
import type { Offer, OfferCapabilities } from './offer.js';
import type { ProviderRuntime } from './providerRuntime.js';

interface MergedModel {
  id: string;
  aliases: Set<string>;
  ownedBy: string | undefined;
  offers: { config: OfferConfig; source: 'config' | 'builtin' }[];
}

/**
 * Builds the catalog: built-in models first, then config models, which add models and aliases and replace
 * a built-in offer of the same provider (inheriting its declared fields they do not set).
 */
export function buildModelCatalog(options: {
  builtinModels: readonly ModelConfig[];
  configModels: readonly ModelConfig[];
  providers: ReadonlyMap<string, ProviderRuntime>;
}): ModelCatalog {
  const merged = new Map<string, MergedModel>();
  const nameToId = new Map<string, string>();

  for (const model of options.builtinModels) {
    merged.set(model.id, {
      id: model.id,
      aliases: new Set(model.aliases ?? []),
      ownedBy: model.owned_by,
      offers: model.offers.map((offer) => ({ config: offer, source: 'builtin' as const })),
    });
    nameToId.set(model.id, model.id);
    for (const alias of model.aliases ?? []) nameToId.set(alias, model.id);
  }

  for (const model of options.configModels) {
    const existingId = nameToId.get(model.id);
    const target = existingId === undefined ? undefined : merged.get(existingId);
    if (target === undefined) {
      merged.set(model.id, {
        id: model.id,
        aliases: new Set(model.aliases ?? []),
        ownedBy: model.owned_by,
        offers: model.offers.map((offer) => ({ config: offer, source: 'config' as const })),
      });
      continue;
    }
    for (const alias of model.aliases ?? []) target.aliases.add(alias);
    if (model.owned_by !== undefined) target.ownedBy = model.owned_by;
    for (const offer of model.offers) {
      const builtin = target.offers.find((existing) => existing.source === 'builtin' && existing.config.provider === offer.provider);
      target.offers = target.offers.filter((existing) => !(existing.source === 'builtin' && existing.config.provider === offer.provider));
      target.offers.push({ config: builtin === undefined ? offer : mergeOffer(builtin.config, offer), source: 'config' });
    }
  }

  // An alias never shadows another model's canonical id.
  const models: CatalogModel[] = [];
  for (const model of merged.values()) {
    const aliases = [...model.aliases].filter((alias) => alias !== model.id && (!merged.has(alias) || merged.get(alias) === model));
    const offers: Offer[] = [];
    for (const { config, source } of model.offers) {
      const provider = options.providers.get(config.provider);
      if (provider === undefined || (!provider.enabled && !provider.byokOnly)) continue;
      offers.push(toOffer(model.id, config, provider, source));
    }
    models.push({ id: model.id, aliases, ownedBy: model.ownedBy ?? offers[0]?.providerId ?? 'switchyard', offers });
  }
  return new ModelCatalog(models);
}

function mergeOffer(builtin: OfferConfig, override: OfferConfig): OfferConfig {
  return {
    ...builtin,
    ...override,
    // A price override of input/output keeps the catalog's cache prices unless it sets its own.
    price: { ...builtin.price, ...override.price },
    capabilities: { ...builtin.capabilities, ...override.capabilities },
    expect: { ...builtin.expect, ...override.expect },
  };
}

function toOffer(modelId: string, config: OfferConfig, provider: ProviderRuntime, source: 'config' | 'builtin'): Offer {
  const declared = config.capabilities ?? {};
  // Undeclared capabilities are permissive so that an unknown model works and the upstream has the last word.
  const capabilities: OfferCapabilities = {
    tools: declared.tools ?? true,
    toolChoiceRequired: declared.tool_choice_required ?? true,
    jsonObject: declared.json_object ?? true,
    jsonSchema: declared.json_schema ?? true,
    vision: declared.vision ?? true,
    reasoning: declared.reasoning ?? 'optional',
  };
  return {
    key: `${provider.id}/${config.upstream_model}`,
    modelId,
    providerId: provider.id,
    providerType: provider.type,
    upstreamModel: config.upstream_model,
    price: toOfferPrice(config.price),
    priceUsd: { ...config.price },
    contextWindow: config.context_window,
    maxOutputTokens: config.max_output_tokens,
    dataPolicy: config.data_policy,
    expect: { ttftMs: config.expect?.ttft_ms, tps: config.expect?.tps },
    capabilities,
    supportedParameters: config.supported_parameters === undefined ? undefined : new Set<ParameterName>(config.supported_parameters),
    tier: config.tier ?? 'standard',
    source,
    byokOnly: !provider.enabled,
  };
}
