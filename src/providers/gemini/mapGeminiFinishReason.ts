import type { FinishReason } from '../../core/chatResult.js';

/** Gemini's safety family (providers reference §4.5, §8.1); RECITATION too, as Vercel does, not `stop` as Portkey. */
const FILTERED = new Set([
  'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'LANGUAGE', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
]);

/**
 * A candidate's `finishReason` → OpenAI's. Gemini says STOP on tool-call turns, so calls decide. The malformed and
 * unexpected tool-call reasons, OTHER and unknown values read as `stop` (Portkey): the answer stays usable and a stream
 * and its non-streamed twin end alike.
 */
export function mapGeminiFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
