/**
 * What the gateway emitted beside an assistant message's tool calls for the client to send back on the next turn
 * (signed reasoning, tool-call signatures), kept so that it can be re-attached when an OpenAI-only client drops it
 * (providers reference §3.5 option 3, §4.3 option 3). Contents are model output only: never caller credentials.
 */
export interface RememberedReasoning {
  /** The message's tool calls in order; `fields` holds what a call carried beside id/type/function. */
  toolCalls: RememberedToolCall[];
  /** Message-level fields (`thinking_blocks`, `reasoning_details`, `extra_content`, and `reasoning_content` when a block needs its text). */
  fields: Record<string, unknown>;
}

export interface RememberedToolCall {
  id: string;
  /** The function name, checked on recall so that a reused id (some hosts number calls `call_0`...) never matches another call. */
  name: string;
  fields?: Record<string, unknown>;
}

/** Assistant-message fields that carry reasoning the next turn needs, in the OpenAI-format conventions the adapters read. */
export const ECHOED_MESSAGE_FIELDS: readonly string[] = ['thinking_blocks', 'reasoning_details', 'extra_content'];

/** Tool-call fields that carry a per-call signature. */
export const ECHOED_TOOL_CALL_FIELDS: readonly string[] = ['extra_content'];

/** Ids longer than this are not remembered (they would only bloat keys; real ids are a few dozen characters). */
export const MAX_TOOL_CALL_ID_LENGTH = 256;
