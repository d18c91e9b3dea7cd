import type { RoutingOptions } from '../core/chatRequest.js';
import type { ConstraintName } from './constraintName.js';
import type { Offer } from './offer.js';
import type { OfferPerformance } from './offerPerformance.js';
import type { RoutingNeeds } from './routingNeeds.js';

export interface ConstraintInput {
  offer: Offer;
  routing: RoutingOptions;
  needs: RoutingNeeds;
  performance: OfferPerformance;
  /** The offer's provider has a key of the gateway's (or needs none). */
  platformKey: boolean;
  /** 0 when the offer's breaker lets it be tried now. */
  blockedUntil: number;
}

const NONE_FAILED: readonly ConstraintName[] = [];

/** The order in which a full evaluation lists failures (error messages name them in this order). */
const LISTING_ORDER: readonly ConstraintName[] = [
  'providers', 'exclude', 'data_policy', 'tier', 'only_byok', 'only_platform', 'platform_key', 'tools', 'tool_choice', 'response_format',
  'vision', 'reasoning', 'context_window', 'require_parameters', 'max_ttft_ms', 'min_throughput_tps', 'min_success_rate', 'max_cost_per_1m', 'breaker',
];

/**
 * Every constraint the offer fails (empty when it qualifies); all are checked so errors can say which one excluded
 * what. With `firstOnly`, the list checks (allowlists, parameters, live figures) are skipped once a cheap check
 * failed: routing only needs to know whether an offer qualifies, and asks for the full list only when nothing does.
 */
export function evaluateConstraints(input: ConstraintInput, firstOnly = false): readonly ConstraintName[] {
  const { offer, routing, needs, performance } = input;
  // Most offers qualify: their shared empty list costs no allocation.
  let failed: ConstraintName[] | undefined;
  const callerKey = needs.callerKeys.size > 0 && needs.callerKeys.has(offer.providerId);

  if (routing.data_policy === 'zdr' && offer.dataPolicy !== 'zdr') (failed ??= []).push('data_policy');
  if (routing.data_policy === 'no_training' && offer.dataPolicy !== 'zdr' && offer.dataPolicy !== 'no_training') (failed ??= []).push('data_policy');
  if (offer.tier === 'priority' && routing.tier !== 'priority') (failed ??= []).push('tier');
  if (routing.only_byok === true && !callerKey) (failed ??= []).push('only_byok');
  if (routing.only_platform === true && !input.platformKey) (failed ??= []).push('only_platform');
  if (routing.only_platform !== true && !input.platformKey && !callerKey) (failed ??= []).push('platform_key');
  if (routing.max_cost_per_1m !== undefined && (offer.priceUsd.input + offer.priceUsd.output) / 2 > routing.max_cost_per_1m) (failed ??= []).push('max_cost_per_1m');
  const capabilities = offer.capabilities;
  if (needs.tools && !capabilities.tools) (failed ??= []).push('tools');
  if (needs.toolChoiceForced && !capabilities.toolChoiceRequired) (failed ??= []).push('tool_choice');
  if (needs.responseFormat === 'json_object' && !capabilities.jsonObject) (failed ??= []).push('response_format');
  if (needs.responseFormat === 'json_schema' && !capabilities.jsonSchema) (failed ??= []).push('response_format');
  if (needs.vision && !capabilities.vision) (failed ??= []).push('vision');
  if (needs.reasoning === 'on' && capabilities.reasoning === 'none') (failed ??= []).push('reasoning');
  if (needs.reasoning === 'off' && capabilities.reasoning === 'always') (failed ??= []).push('reasoning');
  if (offer.contextWindow !== undefined && needs.promptTokens + (needs.maxOutputTokens ?? 0) > offer.contextWindow) (failed ??= []).push('context_window');
  if (input.blockedUntil !== 0) (failed ??= []).push('breaker');
  if (failed !== undefined && firstOnly) return failed;

  if (routing.providers !== undefined && !routing.providers.includes(offer.providerId)) (failed ??= []).push('providers');
  if (routing.exclude !== undefined && routing.exclude.includes(offer.providerId)) (failed ??= []).push('exclude');
  if (routing.require_parameters === true && offer.supportedParameters !== undefined && !supportsAll(offer.supportedParameters, needs.sentParameters)) {
    (failed ??= []).push('require_parameters');
  }
  // Unmeasured offers are never excluded by a performance ceiling (contract §4.4).
  if (routing.max_ttft_ms !== undefined && performance.ttftMs !== undefined && performance.ttftMs > routing.max_ttft_ms) (failed ??= []).push('max_ttft_ms');
  if (routing.min_throughput_tps !== undefined && performance.tps !== undefined && performance.tps < routing.min_throughput_tps) (failed ??= []).push('min_throughput_tps');
  if (routing.min_success_rate !== undefined && performance.successRate !== undefined && performance.successRate < routing.min_success_rate) {
    (failed ??= []).push('min_success_rate');
  }
  if (failed === undefined) return NONE_FAILED;
  if (!firstOnly && failed.length > 1) failed.sort((left, right) => LISTING_ORDER.indexOf(left) - LISTING_ORDER.indexOf(right));
  return failed;
}

function supportsAll(supported: ReadonlySet<string>, sent: readonly string[]): boolean {
  for (const name of sent) if (!supported.has(name)) return false;
  return true;
}
