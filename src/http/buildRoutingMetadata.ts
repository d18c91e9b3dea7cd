import type { AttemptSummary, RoutingMetadata } from '../core/routingMetadata.js';
import type { Usage } from '../core/usage.js';
import type { Warning } from '../core/warning.js';
import type { AttemptLog } from '../chat/chatContext.js';
import type { Served } from '../chat/chatExecutor.js';
import type { Cost } from '../pricing/computeCost.js';
import { microsToUsd } from '../pricing/offerPrice.js';

export interface MetadataInput {
  served: Served;
  requestWarnings: readonly Warning[];
  attempts: readonly AttemptLog[];
  usage: Usage;
  cost: Cost;
  /** Streams only: request arrival to first token. */
  ttftMs: number | undefined;
  /** Seconds over which the completion tokens were generated, for throughput. */
  generationSeconds: number;
  totalLatencyMs: number;
}

/** `routing_metadata` for a successful response (contract §5.2). */
export function buildRoutingMetadata(input: MetadataInput): RoutingMetadata {
  const { served, cost } = input;
  const metadata: RoutingMetadata = {
    provider: served.offer.providerId,
    provider_model_id: served.offer.upstreamModel,
    model_canonical: served.offer.modelId,
    routing_strategy: served.strategy,
  };
  const costField: NonNullable<RoutingMetadata['cost']> = { usd: microsToUsd(cost.micros) };
  if (cost.savingsMicros > 0) {
    costField.cache_savings_usd = microsToUsd(cost.savingsMicros);
    costField.cache_savings_percent = Math.round((cost.savingsMicros / (cost.micros + cost.savingsMicros)) * 10_000) / 100;
  }
  metadata.cost = costField;
  if (input.ttftMs !== undefined) metadata.ttft_ms = input.ttftMs;
  if (input.usage.completionTokens > 0 && input.generationSeconds > 0) {
    metadata.throughput_tps = Math.round((input.usage.completionTokens / input.generationSeconds) * 10) / 10;
  }
  const warnings = [...input.requestWarnings, ...served.warnings];
  if (input.attempts.length > 1) {
    const failed = input.attempts.slice(0, -1).map((attempt) => attempt.offer.providerId);
    warnings.push({ code: 'fallback_used', message: `Served by '${served.offer.providerId}' after ${failed.join(', ')} failed.` });
    metadata.attempts = input.attempts.map(summarizeAttempt);
  }
  if (warnings.length > 0) metadata.warnings = warnings;
  metadata.total_latency_ms = Math.round(input.totalLatencyMs);
  return metadata;
}

function summarizeAttempt(attempt: AttemptLog): AttemptSummary {
  const summary: AttemptSummary = { provider: attempt.offer.providerId, provider_model_id: attempt.offer.upstreamModel, status: attempt.status };
  if (attempt.error !== undefined) summary.code = attempt.error.code;
  return summary;
}
