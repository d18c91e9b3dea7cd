import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../routing/modelCatalog.js';
import type { Offer } from '../routing/offer.js';
import type { BreakerView, OfferHealth } from '../routing/offerHealth.js';
import type { OfferStats, OfferStatsSnapshot } from '../routing/offerStats.js';
import type { ProviderRuntime } from '../routing/providerRuntime.js';

export interface RegistryRouteDeps {
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  health: OfferHealth;
  stats: OfferStats;
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
        byok_only: provider.byokOnly,
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
        offers: model.offers.map((offer) => describeOffer(offer, deps.stats.snapshot(offer.key, now), deps.health.describe(offer.key, now), now)),
      })),
    };
  });
}

function describeOffer(offer: Offer, live: OfferStatsSnapshot, breaker: BreakerView, now: number): Record<string, unknown> {
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
    byok_only: offer.byokOnly,
    expected: { ttft_ms: offer.expect.ttftMs ?? null, tps: offer.expect.tps ?? null },
    live: {
      ttft_ms_p50: round(live.ttftP50),
      ttft_ms_p95: round(live.ttftP95),
      tps_p50: round(live.tpsP50),
      tps_p95: round(live.tpsP95),
      success_rate: live.successRate === undefined ? null : Math.round(live.successRate * 1000) / 1000,
      samples: live.samples,
    },
    breaker: breaker.state === 'open'
      ? { state: 'open', retry_after_seconds: Math.ceil((breaker.openUntil - now) / 1000), consecutive_failures: breaker.consecutiveFailures }
      : { state: breaker.state, consecutive_failures: breaker.consecutiveFailures },
  };
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 10) / 10;
}
