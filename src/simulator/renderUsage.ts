import type { PlannedUsage } from './planCompletion.js';

/** OpenAI's full `usage` object, as a JSON string with OpenAI's key order. */
export function renderUsage(usage: PlannedUsage): string {
  return (
    `{"prompt_tokens":${usage.promptTokens},"completion_tokens":${usage.completionTokens},"total_tokens":${usage.totalTokens},` +
    `"prompt_tokens_details":{"cached_tokens":${usage.cachedTokens},"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":${usage.reasoningTokens},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
}
