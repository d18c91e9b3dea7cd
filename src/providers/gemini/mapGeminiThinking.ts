import type { ReasoningEffort } from '../../core/chatRequest.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import type { Warning } from '../../core/warning.js';
import type { GeminiModelFacts } from './geminiModels.js';
import type { GeminiThinkingConfig, GeminiThinkingLevel } from './geminiWire.js';

/** 2.5 budgets per effort (LiteLLM's table, providers reference §4.4); xhigh and max take the model's ceiling. */
const EFFORT_BUDGETS = { low: 1024, medium: 2048, high: 4096 } as const;
const LEVEL_ORDER: readonly GeminiThinkingLevel[] = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
const EFFORT_LEVELS = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH' } as const;

export interface MappedThinking {
  /** undefined: send no thinkingConfig. */
  config: GeminiThinkingConfig | undefined;
  warnings: Warning[];
}

/** `reasoning_effort` → `generationConfig.thinkingConfig` for one model (providers reference §4.4, contract §7). */
export function mapGeminiThinking(effort: ReasoningEffort | undefined, facts: GeminiModelFacts, capabilities: OfferCapabilities, model: string): MappedThinking {
  if (effort === undefined) return { config: undefined, warnings: [] };
  const thinking = facts.thinking;
  if (effort === 'off' && capabilities.reasoning === 'always') {
    throw new GatewayError(400, 'thinking_disable_not_supported', `${model} always reasons; reasoning_effort "off" cannot be honoured.`, {
      param: 'reasoning_effort',
      suggestion: 'Use reasoning_effort "low".',
    });
  }
  if (thinking.style === 'none') {
    // A non-thinking model rejects any thinkingConfig; "off" is what it does anyway.
    if (effort === 'off') return { config: undefined, warnings: [] };
    return { config: undefined, warnings: [warning(`'reasoning_effort' was dropped: ${model} does not think.`)] };
  }
  if (thinking.style === 'budget') {
    if (effort === 'off') {
      if (thinking.canDisable) return { config: { thinkingBudget: 0 }, warnings: [] };
      return {
        config: { thinkingBudget: thinking.min },
        warnings: [warning(`${model} cannot turn thinking off; reasoning_effort 'off' was sent as the smallest thinking budget (${thinking.min} tokens).`)],
      };
    }
    const wanted = effort === 'xhigh' || effort === 'max' ? thinking.max : EFFORT_BUDGETS[effort];
    const budget = Math.min(thinking.max, Math.max(thinking.min, wanted));
    const warnings = budget === wanted ? [] : [warning(`reasoning_effort '${effort}' was sent as a thinking budget of ${budget} tokens, the nearest ${model} takes.`)];
    return { config: { thinkingBudget: budget, includeThoughts: true }, warnings };
  }
  const levels = thinking.levels;
  const floor = levels[0] ?? 'LOW';
  const ceiling = levels[levels.length - 1] ?? 'HIGH';
  if (effort === 'off') {
    return {
      config: { thinkingLevel: floor },
      warnings: [warning(`${model} cannot turn thinking off; reasoning_effort 'off' was sent as its lowest thinking level '${floor.toLowerCase()}'.`)],
    };
  }
  if (effort === 'xhigh' || effort === 'max') return { config: { thinkingLevel: ceiling, includeThoughts: true }, warnings: [] };
  const wanted = EFFORT_LEVELS[effort];
  const level = levels.includes(wanted) ? wanted : (levels.find((candidate) => LEVEL_ORDER.indexOf(candidate) > LEVEL_ORDER.indexOf(wanted)) ?? ceiling);
  const warnings = level === wanted ? [] : [warning(`${model} has no thinking level '${effort}'; it was sent as '${level.toLowerCase()}'.`)];
  return { config: { thinkingLevel: level, includeThoughts: true }, warnings };
}

function warning(message: string): Warning {
  return { code: 'unsupported_parameter', param: 'reasoning_effort', message };
}
