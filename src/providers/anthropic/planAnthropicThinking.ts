import type { ChatRequest } from '../../core/chatRequest.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import type { Warning } from '../../core/warning.js';
import { ANTHROPIC_EFFORTS, MIN_THINKING_BUDGET, THINKING_BUDGETS, type AnthropicEffort, type AnthropicModelInfo } from './anthropicModels.js';

export interface ThinkingPlan {
  /** `max_tokens` to send (Anthropic requires it). */
  maxTokens: number;
  /** The `thinking` object to send; undefined sends none (the model's default). */
  thinking: Record<string, unknown> | undefined;
  /** `output_config.effort` to send. */
  effort: AnthropicEffort | undefined;
  /** The model will think, so thinking's limits on sampling and tool choice apply. */
  active: boolean;
  /** Thinking stays on despite a conflict (the model cannot stop thinking): the caller must give way instead. */
  unresolvedConflict: boolean;
}

export interface ThinkingInputs {
  request: ChatRequest;
  info: AnthropicModelInfo;
  capabilities: OfferCapabilities;
  /** The output ceiling of this model on this offer. */
  modelMax: number;
  /** A sanitised `thinking` from `extensions`, honoured only without `reasoning_effort`. */
  extensionThinking: { value: Record<string, unknown>; param: string } | undefined;
  /** Why thinking cannot run in this request (forced tool use, prefill), or undefined. */
  conflict: string | undefined;
  providerId: string;
  warnings: Warning[];
}

/** Room left for the visible answer when the gateway picks `max_tokens` around a thinking budget (LiteLLM's rule). */
const ANSWER_RESERVE = 4096;

type Wish = { kind: 'default' } | { kind: 'off' } | { kind: 'effort'; effort: AnthropicEffort } | { kind: 'native'; thinking: Record<string, unknown> };

/**
 * `max_tokens` and `reasoning_effort` → Anthropic's `max_tokens`, `thinking` and `output_config.effort` (§3.5):
 * adaptive models get `{type:"adaptive"}` + effort, budget models `{type:"enabled", budget_tokens}` with
 * 1024 ≤ budget < max_tokens. When a client limit leaves no room for the 1024-token minimum budget, `max_tokens`
 * is raised to the budget plus the client's limit (so the visible answer keeps its allowance), with a warning.
 */
export function planAnthropicThinking(inputs: ThinkingInputs): ThinkingPlan {
  const { request, info, modelMax, warnings } = inputs;
  const clientMax = request.params.max_completion_tokens;
  let maxTokens: number;
  if (clientMax !== undefined && clientMax > modelMax) {
    warnings.push({
      code: 'unsupported_parameter',
      param: 'max_completion_tokens',
      message: `'max_completion_tokens' ${clientMax} exceeds the ${modelMax}-token output limit of this model at '${inputs.providerId}' and was lowered to ${modelMax}.`,
    });
    maxTokens = modelMax;
  } else {
    maxTokens = clientMax ?? Math.min(info.defaultMaxTokens, modelMax);
  }

  let wish = readWish(inputs);
  const canStop = info.acceptsDisabled || !info.thinksByDefault;
  const wouldThink = wish.kind === 'effort' || (wish.kind === 'native' && wish.thinking.type !== 'disabled') || (wish.kind === 'default' && info.thinksByDefault);
  let unresolvedConflict = false;
  if (inputs.conflict !== undefined && wouldThink) {
    if (canStop) {
      warnings.push({
        code: 'unsupported_parameter',
        param: wish.kind === 'native' ? (inputs.extensionThinking?.param ?? 'thinking') : 'reasoning_effort',
        message: `Anthropic cannot think while ${inputs.conflict}; reasoning was turned off for this request.`,
      });
      wish = { kind: 'off' };
    } else {
      unresolvedConflict = true;
    }
  }

  const plan: ThinkingPlan = { maxTokens, thinking: undefined, effort: undefined, active: false, unresolvedConflict };
  switch (wish.kind) {
    case 'default':
      plan.active = info.thinksByDefault;
      break;
    case 'off':
      // Budget models and adaptive-only models think only when asked: sending nothing is "off".
      if (info.thinking === 'adaptive' && info.acceptsDisabled) plan.thinking = { type: 'disabled' };
      plan.active = !info.acceptsDisabled && info.thinksByDefault;
      break;
    case 'native':
      plan.thinking = wish.thinking;
      plan.active = wish.thinking.type === 'enabled' || wish.thinking.type === 'adaptive';
      break;
    case 'effort':
      plan.active = true;
      if (info.thinking === 'adaptive') {
        plan.thinking = { type: 'adaptive' };
        plan.effort = normaliseEffort(wish.effort, info.efforts, warnings);
      } else {
        planBudget(plan, wish.effort, clientMax, modelMax, warnings);
      }
      break;
  }
  return plan;
}

function readWish(inputs: ThinkingInputs): Wish {
  const { request, info, capabilities } = inputs;
  const effort = request.params.reasoning_effort;
  if (effort === undefined) {
    const native = inputs.extensionThinking === undefined ? undefined : normaliseNativeThinking(inputs.extensionThinking, info, inputs.warnings);
    return native === undefined ? { kind: 'default' } : { kind: 'native', thinking: native };
  }
  if (effort === 'off') {
    // Routing already filters on offer capabilities; this guards direct use and stale tables.
    if (capabilities.reasoning === 'always' || (info.thinksByDefault && !info.acceptsDisabled)) {
      throw new GatewayError(400, 'thinking_disable_not_supported', "reasoning_effort 'off' is not possible: this model always thinks.", {
        param: 'reasoning_effort',
      });
    }
    return { kind: 'off' };
  }
  if (capabilities.reasoning === 'none' || info.thinking === 'none') {
    throw new GatewayError(400, 'reasoning_not_supported', 'This model cannot reason; remove reasoning_effort or set it to "off".', { param: 'reasoning_effort' });
  }
  return { kind: 'effort', effort };
}

/** An Anthropic-native `thinking` from extensions, made acceptable to the model (adaptive-only models refuse the others). */
function normaliseNativeThinking(extension: { value: Record<string, unknown>; param: string }, info: AnthropicModelInfo, warnings: Warning[]): Record<string, unknown> | undefined {
  const { value, param } = extension;
  if (value.type === 'enabled' && info.thinking === 'adaptive' && !info.acceptsBudget) {
    const { budget_tokens: _budget, ...rest } = value;
    warnings.push({ code: 'unsupported_parameter', param, message: `This model takes only adaptive thinking; '${param}' {type:"enabled"} was sent as {type:"adaptive"}.` });
    return { ...rest, type: 'adaptive' };
  }
  if (value.type === 'disabled' && !info.acceptsDisabled) {
    warnings.push({ code: 'unsupported_parameter', param, message: `This model rejects {type:"disabled"}; '${param}' was not sent.` });
    return undefined;
  }
  return value;
}

/** The closest effort the model takes: `xhigh` rounds up to `max` when there is one (Vercel), anything else rounds down. */
function normaliseEffort(wanted: AnthropicEffort, supported: readonly AnthropicEffort[], warnings: Warning[]): AnthropicEffort {
  if (supported.includes(wanted)) return wanted;
  let chosen: AnthropicEffort | undefined;
  if (wanted === 'xhigh' && supported.includes('max')) chosen = 'max';
  else {
    for (let rank = ANTHROPIC_EFFORTS.indexOf(wanted); rank >= 0 && chosen === undefined; rank--) {
      const candidate = ANTHROPIC_EFFORTS[rank] as AnthropicEffort;
      if (supported.includes(candidate)) chosen = candidate;
    }
  }
  chosen ??= supported[0] ?? 'high';
  warnings.push({ code: 'unsupported_parameter', param: 'reasoning_effort', message: `'reasoning_effort' '${wanted}' is not available on this model and was sent as effort '${chosen}'.` });
  return chosen;
}

function planBudget(plan: ThinkingPlan, effort: AnthropicEffort, clientMax: number | undefined, modelMax: number, warnings: Warning[]): void {
  const wanted = THINKING_BUDGETS[effort];
  if (clientMax === undefined) plan.maxTokens = Math.min(modelMax, Math.max(plan.maxTokens, wanted + ANSWER_RESERVE));
  let budget = Math.min(wanted, plan.maxTokens - 1);
  if (budget < MIN_THINKING_BUDGET) {
    const raised = Math.min(modelMax, MIN_THINKING_BUDGET + plan.maxTokens);
    warnings.push({
      code: 'unsupported_parameter',
      param: 'max_completion_tokens',
      message: `Anthropic thinking needs a budget of at least ${MIN_THINKING_BUDGET} tokens below max_tokens; 'max_completion_tokens' ${plan.maxTokens} was raised to ${raised}.`,
    });
    plan.maxTokens = raised;
    budget = Math.min(MIN_THINKING_BUDGET, raised - 1);
  }
  plan.thinking = { type: 'enabled', budget_tokens: budget };
}
