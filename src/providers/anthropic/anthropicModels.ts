/** Values of Anthropic's `output_config.effort`. */
export const ANTHROPIC_EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type AnthropicEffort = (typeof ANTHROPIC_EFFORTS)[number];

/**
 * What the translator needs to know about one Claude model. Seed data from the providers reference (§3.1, §3.5,
 * §12) and Anthropic's SDK docstrings; model facts drift, so they live here as data, never in `if` chains.
 */
export interface AnthropicModelInfo {
  /** Ceiling of `max_tokens`. */
  maxOutputTokens: number;
  /** `max_tokens` sent when the client gives none (Anthropic requires one; a moderate value keeps rate-limit estimates sane). */
  defaultMaxTokens: number;
  /** `budget`: `thinking:{type:"enabled", budget_tokens}`; `adaptive`: `thinking:{type:"adaptive"}` + `output_config.effort`. */
  thinking: 'none' | 'budget' | 'adaptive';
  /** An adaptive model that still takes `thinking:{type:"enabled"}` (4.6 deprecated it, 4.7+ reject it). */
  acceptsBudget: boolean;
  /** Takes `thinking:{type:"disabled"}`; adaptive-only models answer 400. */
  acceptsDisabled: boolean;
  /** Thinks when no `thinking` is sent (so `off` must be said explicitly). */
  thinksByDefault: boolean;
  /** `output_config.effort` values the model takes (adaptive models). */
  efforts: readonly AnthropicEffort[];
  /** Native `output_config.format` (structured outputs); otherwise JSON mode is emulated with a forced tool. */
  structuredOutputs: boolean;
  /** Models after Opus 4.6: temperature only 1, top_p only ≥ 0.99, no top_k. */
  fixedSampling: boolean;
  /** Rejects `temperature` and `top_p` together. */
  temperatureXorTopP: boolean;
  /** Accepts a forced `tool_choice` (`any` / `tool`). */
  forcedToolUse: boolean;
}

export interface AnthropicModelEntry {
  /** Tested on the lowercased upstream model id (plain, dated, Bedrock `anthropic.` or Vertex `@` spellings). */
  pattern: RegExp;
  info: AnthropicModelInfo;
}

const NO_THINKING = { thinking: 'none', acceptsBudget: false, acceptsDisabled: true, thinksByDefault: false, efforts: [] } as const;
const BUDGET = { thinking: 'budget', acceptsBudget: true, acceptsDisabled: true, thinksByDefault: false, efforts: [] } as const;
const FREE_SAMPLING = { fixedSampling: false, temperatureXorTopP: false, forcedToolUse: true } as const;
const ALL_EFFORTS: readonly AnthropicEffort[] = ANTHROPIC_EFFORTS;
const NO_XHIGH: readonly AnthropicEffort[] = ['low', 'medium', 'high', 'max'];

/** Adaptive models released after Opus 4.6: effort with xhigh, default sampling only. */
const LATEST = {
  thinking: 'adaptive',
  acceptsBudget: false,
  efforts: ALL_EFFORTS,
  structuredOutputs: true,
  fixedSampling: true,
  temperatureXorTopP: false,
  maxOutputTokens: 128_000,
  defaultMaxTokens: 16_384,
} as const;

/** First match wins, so more specific ids come first (`claude-opus-4-5` before `claude-opus-4`). */
export const ANTHROPIC_MODELS: readonly AnthropicModelEntry[] = [
  { pattern: /claude-opus-5-5/, info: { ...LATEST, acceptsDisabled: false, thinksByDefault: true, forcedToolUse: true } },
  { pattern: /claude-sonnet-5-5/, info: { ...LATEST, acceptsDisabled: true, thinksByDefault: true, forcedToolUse: false } },
  { pattern: /claude-(?:opus|sonnet|fable|mythos)-5/, info: { ...LATEST, acceptsDisabled: true, thinksByDefault: true, forcedToolUse: true } },
  { pattern: /claude-(?:opus-4-[78]|mythos-preview)/, info: { ...LATEST, acceptsDisabled: false, thinksByDefault: false, forcedToolUse: true } },
  {
    pattern: /claude-(?:opus|sonnet)-4-6/,
    info: {
      thinking: 'adaptive', acceptsBudget: true, acceptsDisabled: true, thinksByDefault: false, efforts: NO_XHIGH,
      structuredOutputs: true, fixedSampling: false, temperatureXorTopP: true, forcedToolUse: true, maxOutputTokens: 128_000, defaultMaxTokens: 16_384,
    },
  },
  { pattern: /claude-(?:opus|sonnet|haiku)-4-5/, info: { ...BUDGET, ...FREE_SAMPLING, structuredOutputs: true, temperatureXorTopP: true, maxOutputTokens: 64_000, defaultMaxTokens: 16_384 } },
  { pattern: /claude-opus-4-1/, info: { ...BUDGET, ...FREE_SAMPLING, structuredOutputs: false, temperatureXorTopP: true, maxOutputTokens: 32_000, defaultMaxTokens: 16_384 } },
  { pattern: /claude-opus-4/, info: { ...BUDGET, ...FREE_SAMPLING, structuredOutputs: false, maxOutputTokens: 32_000, defaultMaxTokens: 16_384 } },
  { pattern: /claude-sonnet-4/, info: { ...BUDGET, ...FREE_SAMPLING, structuredOutputs: false, maxOutputTokens: 64_000, defaultMaxTokens: 16_384 } },
  { pattern: /claude-3-7-sonnet/, info: { ...BUDGET, ...FREE_SAMPLING, structuredOutputs: false, maxOutputTokens: 64_000, defaultMaxTokens: 16_384 } },
  { pattern: /claude-3-5-(?:sonnet|haiku)/, info: { ...NO_THINKING, ...FREE_SAMPLING, structuredOutputs: false, maxOutputTokens: 8_192, defaultMaxTokens: 8_192 } },
  { pattern: /claude-3-(?:opus|sonnet|haiku)/, info: { ...NO_THINKING, ...FREE_SAMPLING, structuredOutputs: false, maxOutputTokens: 4_096, defaultMaxTokens: 4_096 } },
];

/**
 * An id the table does not know is most likely a newer model (or an alias): assume the current API (adaptive
 * thinking) but emulate JSON mode with a forced tool, which every model takes, and let the upstream judge sampling.
 */
export const UNKNOWN_ANTHROPIC_MODEL: AnthropicModelInfo = {
  thinking: 'adaptive',
  acceptsBudget: true,
  acceptsDisabled: true,
  thinksByDefault: false,
  efforts: NO_XHIGH,
  structuredOutputs: false,
  fixedSampling: false,
  temperatureXorTopP: false,
  forcedToolUse: true,
  maxOutputTokens: 64_000,
  defaultMaxTokens: 16_384,
};

/** Manual thinking budgets per `reasoning_effort` for budget-style models (LiteLLM's low/medium/high, larger above). */
export const THINKING_BUDGETS: Readonly<Record<AnthropicEffort, number>> = {
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 16_384,
  max: 31_999,
};

/** Anthropic's floor for `budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;

export function lookupAnthropicModel(upstreamModel: string): AnthropicModelInfo {
  const id = upstreamModel.toLowerCase();
  return ANTHROPIC_MODELS.find((entry) => entry.pattern.test(id))?.info ?? UNKNOWN_ANTHROPIC_MODEL;
}
