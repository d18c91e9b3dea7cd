import type { Usage } from '../../core/usage.js';

/** OpenAI-shaped usage (with DeepSeek's and Groq's variants) → neutral usage; undefined when absent. */
export function parseOpenAIUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const usage = raw as Record<string, unknown>;
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  const promptDetails = objectOrEmpty(usage.prompt_tokens_details);
  const completionDetails = objectOrEmpty(usage.completion_tokens_details);
  const total = count(usage.total_tokens);
  return {
    promptTokens,
    completionTokens,
    totalTokens: total > 0 ? total : promptTokens + completionTokens,
    cachedTokens: count(promptDetails.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWriteTokens: count(promptDetails.cache_write_tokens),
    reasoningTokens: count(completionDetails.reasoning_tokens),
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
