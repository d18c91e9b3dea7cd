import type { Usage } from '../../core/usage.js';

/** The token counters Anthropic reports, read leniently (absent or junk reads as 0). */
export interface AnthropicTokenCounts {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  /** `output_tokens_details.thinking_tokens`; undefined when the response predates it. */
  thinking: number | undefined;
}

export function readAnthropicTokenCounts(raw: unknown): AnthropicTokenCounts | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const usage = raw as Record<string, unknown>;
  const details = usage.output_tokens_details;
  const thinking = details !== null && typeof details === 'object' ? (details as Record<string, unknown>).thinking_tokens : undefined;
  return {
    input: count(usage.input_tokens),
    cacheWrite: count(usage.cache_creation_input_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    output: count(usage.output_tokens),
    thinking: typeof thinking === 'number' ? count(thinking) : undefined,
  };
}

/**
 * Anthropic counters → neutral usage (§3.4): Anthropic's `input_tokens` excludes both cache counters, so the prompt
 * is their sum (as OpenAI counts it); cached = cache reads, cache writes kept apart for pricing; output includes thinking.
 */
export function toUsage(counts: AnthropicTokenCounts): Usage {
  const promptTokens = counts.input + counts.cacheWrite + counts.cacheRead;
  return {
    promptTokens,
    completionTokens: counts.output,
    totalTokens: promptTokens + counts.output,
    cachedTokens: counts.cacheRead,
    cacheWriteTokens: counts.cacheWrite,
    reasoningTokens: Math.min(counts.thinking ?? 0, counts.output),
  };
}

export function parseAnthropicUsage(raw: unknown): Usage | undefined {
  const counts = readAnthropicTokenCounts(raw);
  return counts === undefined ? undefined : toUsage(counts);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
