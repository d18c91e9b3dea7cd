import type { PlannedUsage } from '../planCompletion.js';

/**
 * `usageMetadata` in Google's key order. Gemini counts thoughts apart from the candidates; chunks before the last
 * carry only the prompt (as in the providers reference §4.6).
 */
export function geminiUsageMetadata(usage: PlannedUsage, final: boolean): Record<string, unknown> {
  const cached = usage.cachedTokens > 0 ? { cachedContentTokenCount: usage.cachedTokens } : {};
  const details = { promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokens }] };
  if (!final) return { promptTokenCount: usage.promptTokens, totalTokenCount: usage.promptTokens, ...cached, ...details };
  const thoughts = usage.reasoningTokens > 0 ? { thoughtsTokenCount: usage.reasoningTokens } : {};
  return {
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: usage.completionTokens - usage.reasoningTokens,
    totalTokenCount: usage.totalTokens,
    ...cached,
    ...details,
    ...thoughts,
  };
}
