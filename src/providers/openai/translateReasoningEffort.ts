import type { Warning } from '../../core/warning.js';
import { normalizeReasoningEffort } from './normalizeReasoningEffort.js';
import type { ReasoningContext, ReasoningTranslation } from './openaiProtocolProfile.js';

/** `reasoning_effort` → the model's own `reasoning_effort` value, normalised per the model table with a warning. */
export function translateReasoningEffort({ effort, rules, target }: ReasoningContext): ReasoningTranslation {
  const warnings: Warning[] = [];
  const fields: Record<string, unknown> = {};
  if (effort !== undefined) {
    const normalized = normalizeReasoningEffort(effort, rules);
    if (normalized === undefined) {
      // `off` on a model that cannot reason is already honoured; anything else cannot be.
      if (!(effort === 'off' && target.capabilities.reasoning === 'none')) {
        warnings.push({
          code: 'unsupported_parameter',
          param: 'reasoning_effort',
          message: `'reasoning_effort' is not accepted by ${target.upstreamModel} on provider '${target.providerId}' and was dropped.`,
        });
      }
    } else {
      fields.reasoning_effort = normalized.value;
      if (normalized.changed) warnings.push(effortChanged(effort, normalized.value, target.upstreamModel, target.providerId));
    }
  }
  const effective = fields.reasoning_effort ?? rules.defaultEffort;
  const reasoning = effective === undefined ? target.capabilities.reasoning !== 'none' : effective !== 'none';
  return { fields, reasoning, warnings };
}

export function effortChanged(requested: string, sent: string, model: string, providerId: string): Warning {
  return {
    code: 'unsupported_parameter',
    param: 'reasoning_effort',
    message: `'reasoning_effort' "${requested}" is not accepted by ${model} on provider '${providerId}'; "${sent}" was sent instead.`,
  };
}
