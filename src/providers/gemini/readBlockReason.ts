/** `promptFeedback.blockReason` of a response whose prompt was refused before any candidate, else undefined. */
export function readBlockReason(response: Record<string, unknown>): string | undefined {
  const feedback = response.promptFeedback;
  if (feedback === null || typeof feedback !== 'object') return undefined;
  const reason = (feedback as Record<string, unknown>).blockReason;
  return typeof reason === 'string' && reason !== '' && reason !== 'BLOCKED_REASON_UNSPECIFIED' ? reason : undefined;
}
