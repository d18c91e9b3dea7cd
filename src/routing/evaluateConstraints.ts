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

/** Every constraint the offer fails (empty when it qualifies); all are checked so errors can say which one excluded what. */
export function evaluateConstraints(input: ConstraintInput): readonly ConstraintName[] {
  const { offer, routing, needs, performance } = input;
  // Most offers qualify: their shared empty list costs no allocation.
  let failed: ConstraintName[] | undefined;
  const callerKey = needs.callerKeys.has(offer.providerId);

  if (routing.providers !== undefined && !routing.providers.includes(offer.providerId)) (failed ??= []).push('providers');
  if (routing.exclude !== undefined && routing.exclude.includes(offer.providerId)) (failed ??= []).push('exclude');
  if (routing.data_policy === 'zdr' && offer.dataPolicy !== 'zdr') (failed ??= []).push('data_policy');
  if (routing.data_policy === 'no_training' && offer.dataPolicy !== 'zdr' && offer.dataPolicy !== 'no_training') (failed ??= []).push('data_policy');
  if (offer.tier === 'priority' && routing.tier !== 'priority') (failed ??= []).push('tier');
  if (routing.only_byok === true && !callerKey) (failed ??= []).push('only_byok');
  if (routing.only_platform === true && !input.platformKey) (failed ??= []).push('only_platform');
  if (routing.only_platform !== true && !input.platformKey && !callerKey) (failed ??= []).push('platform_key');

  const capabilities = offer.capabilities;
  if (needs.tools && !capabilities.tools) (failed ??= []).push('tools');
  if (needs.toolChoiceForced && !capabilities.toolChoiceRequired) (failed ??= []).push('tool_choice');
  if (needs.responseFormat === 'json_object' && !capabilities.jsonObject) (failed ??= []).push('response_format');
  if (needs.responseFormat === 'json_schema' && !capabilities.jsonSchema) (failed ??= []).push('response_format');
  if (needs.vision && !capabilities.vision) (failed ??= []).push('vision');
  if (needs.reasoning === 'on' && capabilities.reasoning === 'none') (failed ??= []).push('reasoning');
  if (needs.reasoning === 'off' && capabilities.reasoning === 'always') (failed ??= []).push('reasoning');
  if (offer.contextWindow !== undefined && needs.promptTokens + (needs.maxOutputTokens ?? 0) > offer.contextWindow) (failed ??= []).push('context_window');
  if (routing.require_parameters === true && offer.supportedParameters !== undefined) {
    const supported = offer.supportedParameters;
    if (needs.sentParameters.some((name) => !supported.has(name))) (failed ??= []).push('require_parameters');
  }

  // Unmeasured offers are never excluded by a performance ceiling (contract §4.4).
  if (routing.max_ttft_ms !== undefined && performance.ttftMs !== undefined && performance.ttftMs > routing.max_ttft_ms) (failed ??= []).push('max_ttft_ms');
  if (routing.min_throughput_tps !== undefined && performance.tps !== undefined && performance.tps < routing.min_throughput_tps) (failed ??= []).push('min_throughput_tps');
  if (routing.min_success_rate !== undefined && performance.successRate !== undefined && performance.successRate < routing.min_success_rate) {
    (failed ??= []).push('min_success_rate');
  }
  if (routing.max_cost_per_1m !== undefined && (offer.priceUsd.input + offer.priceUsd.output) / 2 > routing.max_cost_per_1m) (failed ??= []).push('max_cost_per_1m');
  if (input.blockedUntil !== 0) (failed ??= []).push('breaker');
  return failed ?? NONE_FAILED;
}
