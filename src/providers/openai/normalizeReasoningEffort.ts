import type { ReasoningEffort } from '../../core/chatRequest.js';
import type { OpenAIModelRules } from './openaiModelRules.js';

/** OpenAI's effort scale, weakest first; values outside it (e.g. Groq's `default`) are only reached through `effortMap`. */
const EFFORT_SCALE = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

export interface NormalizedEffort {
  /** The value to send. */
  value: string;
  /** True when the model will not do what was asked (an `unsupported_parameter` warning is due). */
  changed: boolean;
}

/**
 * Requested effort → a value the model accepts: the host's own mapping, else the value itself, else the nearest
 * accepted value on the scale (ties go to the weaker one, the cheaper guess; a request for reasoning never becomes
 * `none`). `max` means the model's ceiling, so reaching it is not a change. Undefined when the model takes no effort.
 */
export function normalizeReasoningEffort(requested: ReasoningEffort, rules: OpenAIModelRules): NormalizedEffort | undefined {
  const wanted = requested === 'off' ? 'none' : requested;
  const mapped = rules.effortMap?.[requested];
  if (mapped !== undefined) return { value: mapped, changed: mapped !== wanted && requested !== 'max' };
  const accepted = rules.reasoningEfforts;
  if (accepted === undefined) return { value: wanted, changed: false };
  if (accepted.includes(wanted)) return { value: wanted, changed: false };
  let ranked = accepted.filter((value) => EFFORT_SCALE.includes(value));
  // Asking for some reasoning never ends up as none, unless none is all there is.
  if (requested !== 'off' && ranked.some((value) => value !== 'none')) ranked = ranked.filter((value) => value !== 'none');
  if (ranked.length === 0) return undefined;
  if (requested === 'max') return { value: strongest(ranked), changed: false };
  const target = EFFORT_SCALE.indexOf(wanted);
  let best = ranked[0] as string;
  for (const value of ranked) {
    const distance = Math.abs(EFFORT_SCALE.indexOf(value) - target);
    const bestDistance = Math.abs(EFFORT_SCALE.indexOf(best) - target);
    if (distance < bestDistance || (distance === bestDistance && EFFORT_SCALE.indexOf(value) < EFFORT_SCALE.indexOf(best))) best = value;
  }
  return { value: best, changed: true };
}

function strongest(values: readonly string[]): string {
  return values.reduce((best, value) => (EFFORT_SCALE.indexOf(value) > EFFORT_SCALE.indexOf(best) ? value : best));
}
