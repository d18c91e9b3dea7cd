import type { ChatRequest } from '../core/chatRequest.js';
import type { Warning } from '../core/warning.js';
import type { CatalogModel } from './modelCatalog.js';
import type { Offer } from './offer.js';

export interface RouteCandidate {
  offer: Offer;
  /** Position of the candidate's model in the request's model list (for `fallback` mode). */
  modelIndex: number;
}

export interface RouteContext {
  /** Wall-clock ms. */
  now: number;
  /** Provider id → the caller's own key for it (BYOK). */
  callerKeys: ReadonlyMap<string, string>;
}

export interface RoutePlan {
  /** Candidates in the order they should be tried. */
  candidates: RouteCandidate[];
  /** Strategy name reported in `routing_metadata.routing_strategy`. */
  strategy: string;
  /** What routing could not honour as asked. */
  warnings: Warning[];
  /** Identifies the conversation for cache affinity, when it has one. */
  affinityKey: string | undefined;
  /** The estimate of prompt tokens routing used (for limits and budget reservations). */
  promptTokens: number;
}

/** The routing seam: given the resolved models, decide which offers to try and in what order. */
export interface Router {
  plan(request: ChatRequest, models: readonly CatalogModel[], context: RouteContext): RoutePlan;
  /** An offer served the plan's request: lets the router learn (cache affinity). */
  served(plan: RoutePlan, offer: Offer, promptTokens: number, now: number): void;
}
