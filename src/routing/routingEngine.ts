import type { ChatRequest } from '../core/chatRequest.js';
import type { ConstraintName } from './constraintName.js';
import type { ConversationAffinity } from './conversationAffinity.js';
import { evaluateConstraints } from './evaluateConstraints.js';
import type { CatalogModel } from './modelCatalog.js';
import type { Offer } from './offer.js';
import type { OfferHealth } from './offerHealth.js';
import { offerPerformance, type OfferPerformance } from './offerPerformance.js';
import type { OfferStats } from './offerStats.js';
import { orderCandidates } from './orderCandidates.js';
import type { RouteCandidate, RouteContext, RoutePlan, Router } from './router.js';
import { routingNeeds, type RoutingNeeds } from './routingNeeds.js';
import { scoreCandidates, type ScoringInput } from './scoreCandidates.js';
import { strategyWeights } from './strategyWeights.js';
import { unsatisfiedConstraintError } from './unsatisfiedConstraintError.js';

export interface RoutingEngineDeps {
  stats: OfferStats;
  health: OfferHealth;
  affinity: ConversationAffinity;
  /** Uniform in [0, 1); seeded in tests so picks are reproducible. */
  random: () => number;
  /** Share of requests sent to an unmeasured offer so that it gets measured. */
  explorationRate: number;
}

/** Output tokens assumed when pricing a request that sets no limit. */
const TYPICAL_OUTPUT_TOKENS = 300;

interface Evaluated {
  candidate: RouteCandidate;
  performance: OfferPerformance;
  failed: readonly ConstraintName[];
  blockedUntil: number;
}

/** The routing pipeline of contract §4.1: enumerate, filter, score, pick (weighted, seedable), order the fallbacks. */
export class RoutingEngine implements Router {
  constructor(private readonly deps: RoutingEngineDeps) {}

  plan(request: ChatRequest, models: readonly CatalogModel[], context: RouteContext): RoutePlan {
    const { deps } = this;
    const routing = request.gateway.routing;
    const needs = routingNeeds(request, context.callerKeys);
    const evaluated: Evaluated[] = [];
    const qualified: Evaluated[] = [];
    for (let modelIndex = 0; modelIndex < models.length; modelIndex++) {
      for (const offer of (models[modelIndex] as CatalogModel).offers) {
        const performance = offerPerformance(offer, deps.stats.snapshot(offer.key, context.now), routing);
        const blockedUntil = deps.health.blockedUntil(offer.key, context.now);
        const failed = evaluateConstraints({ offer, routing, needs, performance, platformKey: !offer.byokOnly, blockedUntil }, true);
        const entry: Evaluated = { candidate: { offer, modelIndex }, performance, failed, blockedUntil };
        evaluated.push(entry);
        if (failed.length === 0) qualified.push(entry);
      }
    }
    if (qualified.length === 0) {
      // The error names every constraint that excluded each offer: evaluate them all now.
      throw unsatisfiedConstraintError(
        evaluated.map(({ candidate: { offer }, performance, blockedUntil }) => ({
          providerId: offer.providerId,
          failed: evaluateConstraints({ offer, routing, needs, performance, platformKey: !offer.byokOnly, blockedUntil }),
          blockedUntil,
        })),
        needs,
        context.now,
      );
    }

    const { weights, name } = strategyWeights(request.gateway.strategy, routing.weights);
    const affinityKey = deps.affinity.keyOf(request);
    const sticky = affinityKey === undefined ? undefined : deps.affinity.lookup(affinityKey, context.now);
    const segments = request.gateway.mode === 'fallback' && models.length > 1 ? groupByModel(qualified, models.length) : [qualified];
    const candidates: RouteCandidate[] = [];
    for (const segment of segments) {
      if (segment.length === 0) continue;
      const inputs: ScoringInput[] = [];
      const unmeasured: boolean[] = [];
      const preferred: boolean[] = [];
      for (const { candidate, performance } of segment) {
        const offer = candidate.offer;
        inputs.push({
          expectedCost: expectedCost(offer, needs, sticky?.offerKey === offer.key ? sticky.promptTokens : 0),
          ttftMs: performance.ttftMs,
          tps: performance.tps,
          successRate: performance.successRate,
          unmeasured: performance.unmeasured,
        });
        unmeasured.push(performance.unmeasured);
        preferred.push(routing.prefer !== undefined && routing.prefer.includes(offer.providerId));
      }
      const order = orderCandidates({ scores: scoreCandidates(inputs, weights), unmeasured, preferred, random: deps.random, explorationRate: deps.explorationRate });
      for (const index of order) candidates.push((segment[index] as Evaluated).candidate);
    }
    return { candidates, strategy: name, warnings: [], affinityKey, promptTokens: needs.promptTokens };
  }

  served(plan: RoutePlan, offer: Offer, promptTokens: number, now: number): void {
    // Only offers that discount cached input make stickiness worth anything.
    if (plan.affinityKey !== undefined && offer.price.cacheRead < offer.price.input) {
      this.deps.affinity.remember(plan.affinityKey, offer.key, promptTokens, now);
    }
  }
}

/** Expected cost in micro-USD × 1M (exact integers): the cached prefix at the cache-read price, the rest at full price. */
function expectedCost(offer: Offer, needs: RoutingNeeds, cachedPrefixTokens: number): number {
  const cached = Math.min(cachedPrefixTokens, needs.promptTokens);
  const output = Math.min(needs.maxOutputTokens ?? TYPICAL_OUTPUT_TOKENS, TYPICAL_OUTPUT_TOKENS * 4);
  return (needs.promptTokens - cached) * offer.price.input + cached * offer.price.cacheRead + output * offer.price.output;
}

function groupByModel(entries: readonly Evaluated[], modelCount: number): Evaluated[][] {
  const groups: Evaluated[][] = Array.from({ length: modelCount }, () => []);
  for (const entry of entries) groups[entry.candidate.modelIndex]?.push(entry);
  return groups;
}
