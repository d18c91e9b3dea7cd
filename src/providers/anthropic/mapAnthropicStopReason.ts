import type { FinishReason } from '../../core/chatResult.js';

/** Anthropic `stop_reason` → OpenAI `finish_reason` (§3.4); unknown and null reasons read as a normal stop. */
export function mapAnthropicStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn (a paused server-tool turn), null.
      return 'stop';
  }
}
