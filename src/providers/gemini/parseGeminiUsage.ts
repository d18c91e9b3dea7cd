import type { Usage } from '../../core/usage.js';

/**
 * `usageMetadata` → neutral usage (providers reference §4.5, §8.2): the prompt includes cached and tool-use prompt
 * tokens, the completion adds thoughts (Gemini counts them apart from the candidates). Undefined when absent.
 */
export function parseGeminiUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const usage = raw as Record<string, unknown>;
  const promptTokens = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const reasoningTokens = count(usage.thoughtsTokenCount);
  const completionTokens = count(usage.candidatesTokenCount) + reasoningTokens;
  const total = count(usage.totalTokenCount);
  return {
    promptTokens,
    completionTokens,
    totalTokens: total > 0 ? total : promptTokens + completionTokens,
    cachedTokens: count(usage.cachedContentTokenCount),
    cacheWriteTokens: 0,
    reasoningTokens,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
