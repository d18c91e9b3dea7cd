import type { ParameterName, ReasoningEffort } from '../../core/chatRequest.js';

/**
 * What one model (or model family) of an OpenAI-protocol host accepts, where the host differs per model.
 * Seed data from providers.md (§1.2, §5, §7); model facts drift, so they live in tables, never in `if` chains.
 */
export interface OpenAIModelRules {
  /** `reasoning_effort` values the model takes on the wire, weakest first; `[]` = it takes none; unset = sent as requested. */
  reasoningEfforts?: readonly string[];
  /** Requested → wire value where the host documents its own mapping; wins over nearest-value matching. */
  effortMap?: Readonly<Partial<Record<ReasoningEffort, string>>>;
  /** The effort the model uses when none is sent; `none` means it only reasons when asked. */
  defaultEffort?: string;
  /** Parameters the model rejects while it reasons (dropped with a warning; `temperature` only when it is not 1). */
  rejectedWhileReasoning?: readonly ParameterName[];
  /** Parameters the model rejects whatever the effort. */
  unsupportedParameters?: readonly ParameterName[];
  /** Fields the model needs on every request (e.g. a reasoning output format). */
  fields?: Readonly<Record<string, unknown>>;
  /**
   * What to do with `reasoning_content` of earlier assistant turns: `strip` it (the model 400s on it), or
   * `backfill` an empty one on tool-call turns while the model reasons (it 400s when one is missing).
   */
  pastReasoning?: 'strip' | 'backfill';
}

export interface OpenAIModelEntry {
  /** Tested against the offer's upstream model id. */
  match: RegExp;
  rules: OpenAIModelRules;
}

/** The rules of the first entry whose pattern matches the model; no entry means no model-specific rules. */
export function findModelRules(table: readonly OpenAIModelEntry[] | undefined, model: string): OpenAIModelRules {
  for (const entry of table ?? []) {
    if (entry.match.test(model)) return entry.rules;
  }
  return {};
}
