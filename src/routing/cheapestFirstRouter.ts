import type { ChatRequest } from '../core/chatRequest.js';
import { GatewayError } from '../core/gatewayError.js';
import type { Warning } from '../core/warning.js';
import { estimatePromptTokens } from './estimatePromptTokens.js';
import type { CatalogModel } from './modelCatalog.js';
import type { Offer } from './offer.js';
import type { OfferHealth } from './offerHealth.js';
import type { RouteCandidate, RoutePlan, Router } from './router.js';

const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

/**
 * The first routing policy: offers ordered by expected cost, healthy ones only. In `fallback` mode the models
 * keep their order and each model's offers are ordered by cost; in `pool` mode all offers compete.
 */
export class CheapestFirstRouter implements Router {
  constructor(private readonly health: OfferHealth) {}

  plan(request: ChatRequest, models: readonly CatalogModel[], now: number): RoutePlan {
    const promptTokens = estimatePromptTokens(request);
    const outputTokens = Math.min(request.params.max_completion_tokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS, DEFAULT_EXPECTED_OUTPUT_TOKENS);
    const expectedCost = (offer: Offer) => promptTokens * offer.price.input + outputTokens * offer.price.output;

    const candidates: RouteCandidate[] = [];
    models.forEach((model, modelIndex) => {
      for (const offer of model.offers) candidates.push({ offer, modelIndex });
    });
    const byCost = (left: RouteCandidate, right: RouteCandidate) => expectedCost(left.offer) - expectedCost(right.offer);
    candidates.sort(request.gateway.mode === 'fallback' ? (left, right) => left.modelIndex - right.modelIndex || byCost(left, right) : byCost);

    const usable = candidates.filter((candidate) => this.health.blockedUntil(candidate.offer.key, now) === 0);
    if (usable.length === 0 && candidates.length > 0) {
      const soonest = Math.min(...candidates.map((candidate) => this.health.blockedUntil(candidate.offer.key, now)));
      throw new GatewayError(503, 'no_provider_available', 'Every provider of the requested model is temporarily unavailable.', {
        retryable: true,
        retryAfterSeconds: Math.max(1, Math.ceil((soonest - now) / 1000)),
      });
    }
    const asked = request.gateway.routing.weights !== undefined ? 'custom' : (request.gateway.strategy ?? 'cost-focus');
    const warnings: Warning[] = [];
    if (asked !== 'cost-focus') {
      const param = request.gateway.routing.weights !== undefined ? 'gateway.routing.weights' : 'gateway.routing.optimize';
      warnings.push({ code: 'unsupported_parameter', param, message: `Strategy '${asked}' is not available on this gateway; the request was routed by cost.` });
    }
    return { candidates: usable, strategy: 'cost-focus', warnings };
  }
}
