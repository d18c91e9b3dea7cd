import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../routing/modelCatalog.js';
import type { Offer } from '../routing/offer.js';
import type { OfferHealth } from '../routing/offerHealth.js';
import type { ProviderRuntime } from '../routing/providerRuntime.js';

export interface RegistryRouteDeps {
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  health: OfferHealth;
  wallClock: () => number;
}

/** The public registry and directory (no auth): what is configured and what each offer costs and can do. */
export function registerRegistryRoutes(app: FastifyInstance, deps: RegistryRouteDeps): void {
  app.get('/v1/registry/providers', async () => {
    const offered = new Map<string, Set<string>>();
    for (const model of deps.catalog.all()) {
      for (const offer of model.offers) {
        let models = offered.get(offer.providerId);
        if (models === undefined) offered.set(offer.providerId, (models = new Set()));
        models.add(model.id);
      }
    }
    return {
      object: 'list',
      data: [...deps.providers.values()].map((provider) => ({
        id: provider.id,
        type: provider.type,
        enabled: provider.enabled,
        models: [...(offered.get(provider.id) ?? [])].sort(),
      })),
    };
  });

  app.get('/v1/registry/models', async () => ({
    object: 'list',
    data: deps.catalog.callable().map((model) => ({ id: model.id, object: 'model', aliases: model.aliases })),
  }));

  app.get('/v1/directory/models', async () => {
    const now = deps.wallClock();
    return {
      object: 'list',
      data: deps.catalog.callable().map((model) => ({
        id: model.id,
        object: 'model',
        aliases: model.aliases,
        owned_by: model.ownedBy,
        offers: model.offers.map((offer) => describeOffer(offer, deps.health.blockedUntil(offer.key, now), now)),
      })),
    };
  });
}

function describeOffer(offer: Offer, blockedUntil: number, now: number): Record<string, unknown> {
  return {
    provider: offer.providerId,
    provider_type: offer.providerType,
    provider_model_id: offer.upstreamModel,
    price: offer.priceUsd,
    context_window: offer.contextWindow ?? null,
    max_output_tokens: offer.maxOutputTokens ?? null,
    data_policy: offer.dataPolicy ?? null,
    tier: offer.tier,
    capabilities: {
      tools: offer.capabilities.tools,
      tool_choice_required: offer.capabilities.toolChoiceRequired,
      json_object: offer.capabilities.jsonObject,
      json_schema: offer.capabilities.jsonSchema,
      vision: offer.capabilities.vision,
      reasoning: offer.capabilities.reasoning,
    },
    supported_parameters: offer.supportedParameters === undefined ? 'all' : [...offer.supportedParameters],
    expected: { ttft_ms: offer.expect.ttftMs ?? null, tps: offer.expect.tps ?? null },
    status: blockedUntil === 0 ? { available: true } : { available: false, retry_after_seconds: Math.ceil((blockedUntil - now) / 1000) },
  };
}
