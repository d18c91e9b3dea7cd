import type { ErrorCode } from '../core/errorCodes.js';
import { GatewayError } from '../core/gatewayError.js';
import type { ConstraintName } from './constraintName.js';
import type { RoutingNeeds } from './routingNeeds.js';

export interface RejectedOffer {
  providerId: string;
  failed: readonly ConstraintName[];
  blockedUntil: number;
}

interface ConstraintError {
  code: ErrorCode;
  param: string;
  message: string;
  suggestion?: string;
}

/** Capability-like constraints that, when no offer meets them, have their own error code whatever else failed (contract §4.6). */
const DECISIVE: readonly ConstraintName[] = ['only_byok', 'platform_key', 'tool_choice', 'response_format', 'reasoning', 'context_window'];

/** Order in which a mixed failure names its `param`: the most specific request field first. */
const PARAM_ORDER: readonly ConstraintName[] = [
  'providers', 'exclude', 'only_platform', 'data_policy', 'tier', 'tools', 'vision', 'require_parameters',
  'max_ttft_ms', 'min_throughput_tps', 'min_success_rate', 'max_cost_per_1m',
];

/** Nothing qualified: the contract's error for why (§4.6). */
export function unsatisfiedConstraintError(rejected: readonly RejectedOffer[], needs: RoutingNeeds, now: number): GatewayError {
  // Offers that only an open breaker keeps out: capable, but down for now.
  const down = rejected.filter((offer) => offer.failed.every((name) => name === 'breaker'));
  if (down.length > 0) {
    const soonest = Math.min(...down.map((offer) => offer.blockedUntil));
    return new GatewayError(503, 'no_provider_available', `Every provider able to serve this request is temporarily unavailable (${down.map((offer) => offer.providerId).join(', ')}).`, {
      retryable: true,
      retryAfterSeconds: Math.max(1, Math.ceil((soonest - now) / 1000)),
    });
  }
  for (const name of DECISIVE) {
    if (rejected.every((offer) => offer.failed.includes(name))) return toError(describe(name, needs, rejected));
  }
  const union = new Set<ConstraintName>();
  for (const offer of rejected) for (const name of offer.failed) if (name !== 'breaker') union.add(name);
  if (union.size === 1) {
    const [only] = union as Set<ConstraintName>;
    return toError(describe(only as ConstraintName, needs, rejected));
  }
  const names = PARAM_ORDER.filter((name) => union.has(name));
  const first = names[0] ?? [...union][0] ?? 'providers';
  return new GatewayError(400, 'routing_constraint_unsatisfiable', `No offer meets all constraints together; offers were excluded by: ${[...union].join(', ')}.`, {
    param: describe(first, needs, rejected).param,
    suggestion: 'Relax one of the listed constraints; GET /v1/directory/models shows each offer.',
  });
}

function toError(detail: ConstraintError): GatewayError {
  return new GatewayError(400, detail.code, detail.message, { param: detail.param, suggestion: detail.suggestion });
}

function describe(name: ConstraintName, needs: RoutingNeeds, rejected: readonly RejectedOffer[]): ConstraintError {
  const providers = [...new Set(rejected.map((offer) => offer.providerId))].join(', ');
  switch (name) {
    case 'max_ttft_ms':
      return { code: 'latency_constraint_exceeded', param: 'gateway.routing.max_ttft_ms', message: 'No offer meets max_ttft_ms.', suggestion: 'Raise max_ttft_ms or use ttft_percentile p50.' };
    case 'min_throughput_tps':
      return { code: 'throughput_constraint_not_met', param: 'gateway.routing.min_throughput_tps', message: 'No offer meets min_throughput_tps.', suggestion: 'Lower min_throughput_tps.' };
    case 'max_cost_per_1m':
      return { code: 'cost_constraint_exceeded', param: 'gateway.routing.max_cost_per_1m', message: 'Every offer costs more than max_cost_per_1m.', suggestion: 'Raise max_cost_per_1m or choose a cheaper model.' };
    case 'require_parameters':
      return {
        code: 'required_params_not_supported',
        param: 'gateway.routing.require_parameters',
        message: `No offer accepts every parameter sent (${needs.sentParameters.join(', ')}).`,
        suggestion: 'Drop require_parameters to let unsupported parameters be dropped with a warning.',
      };
    case 'tool_choice':
      return { code: 'tool_choice_required_not_supported', param: 'tool_choice', message: 'No offer of this model can be forced to call a tool.', suggestion: 'Use tool_choice "auto".' };
    case 'response_format':
      return {
        code: 'json_mode_not_supported',
        param: 'response_format',
        message: `No offer of this model supports response_format ${needs.responseFormat ?? ''}.`,
        suggestion: needs.responseFormat === 'json_schema' ? 'Use response_format {"type":"json_object"}, or a model that supports json_schema.' : 'Ask for JSON in the prompt instead, or choose a model that supports JSON mode.',
      };
    case 'reasoning':
      return needs.reasoning === 'off'
        ? { code: 'thinking_disable_not_supported', param: 'reasoning_effort', message: 'This model always reasons; reasoning_effort "off" cannot be honoured.', suggestion: 'Use reasoning_effort "low".' }
        : { code: 'reasoning_not_supported', param: 'reasoning_effort', message: 'This model cannot reason; reasoning_effort is not supported.', suggestion: 'Omit reasoning_effort or choose a reasoning model.' };
    case 'context_window':
      return { code: 'context_length_exceeded', param: 'messages', message: `The prompt (about ${needs.promptTokens} tokens) does not fit the context window of any offer.` };
    case 'only_byok':
    case 'platform_key':
      return {
        code: 'byok_keys_required',
        param: name === 'only_byok' ? 'gateway.routing.only_byok' : 'model',
        message: `No provider of this model can be used without your own key (providers: ${providers}).`,
        suggestion: 'Send your key for one of them as X-Provider-Key-<provider id>.',
      };
    case 'only_platform':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.only_platform', message: 'No offer can be served with the gateway\'s own keys.' };
    case 'tools':
      return { code: 'routing_constraint_unsatisfiable', param: 'tools', message: 'No offer of this model supports tools.' };
    case 'vision':
      return { code: 'routing_constraint_unsatisfiable', param: 'messages', message: 'No offer of this model accepts images.' };
    case 'min_success_rate':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.min_success_rate', message: 'No offer meets min_success_rate.' };
    case 'data_policy':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.data_policy', message: 'No offer meets the data policy.' };
    case 'tier':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.tier', message: 'Only priority-tier offers serve this model.', suggestion: 'Set gateway.routing.tier to "priority".' };
    case 'providers':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.providers', message: 'No offer comes from an allowed provider.' };
    case 'exclude':
      return { code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.exclude', message: 'Every provider of this model is excluded.' };
    case 'breaker':
      return { code: 'no_provider_available', param: 'model', message: 'No provider is available.' };
  }
}
