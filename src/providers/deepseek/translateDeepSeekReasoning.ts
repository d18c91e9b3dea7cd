import type { Warning } from '../../core/warning.js';
import { normalizeReasoningEffort } from '../openai/normalizeReasoningEffort.js';
import type { ReasoningContext, ReasoningTranslation } from '../openai/openaiProtocolProfile.js';
import { effortChanged } from '../openai/translateReasoningEffort.js';

/**
 * `reasoning_effort` → DeepSeek's `thinking: {type}` switch plus its own effort scale. With no effort sent, the
 * offer's declared capability decides: `none` switches thinking off (a non-thinking offer of a hybrid model),
 * `always` switches it on, `optional` leaves DeepSeek's default (on, effort high).
 */
export function translateDeepSeekReasoning({ effort, rules, target }: ReasoningContext): ReasoningTranslation {
  const warnings: Warning[] = [];
  const model = `${target.upstreamModel} on provider '${target.providerId}'`;
  if (rules.reasoningEfforts?.length === 0) {
    // The legacy reasoner always thinks, at an effort of its own; it knows no switch.
    if (effort !== undefined) {
      warnings.push({ code: 'unsupported_parameter', param: 'reasoning_effort', message: `'reasoning_effort' is not accepted by ${model} (it always reasons at a fixed effort) and was dropped.` });
    }
    return { fields: {}, reasoning: true, warnings };
  }
  const capability = target.capabilities.reasoning;
  if (effort === 'off' || (effort === undefined && capability === 'none')) {
    return { fields: { thinking: { type: 'disabled' } }, reasoning: false, warnings };
  }
  if (effort === undefined) {
    return { fields: capability === 'always' ? { thinking: { type: 'enabled' } } : {}, reasoning: true, warnings };
  }
  const fields: Record<string, unknown> = { thinking: { type: 'enabled' } };
  const normalized = normalizeReasoningEffort(effort, rules);
  if (normalized !== undefined) {
    fields.reasoning_effort = normalized.value;
    if (normalized.changed) warnings.push(effortChanged(effort, normalized.value, target.upstreamModel, target.providerId));
  }
  return { fields, reasoning: true, warnings };
}
