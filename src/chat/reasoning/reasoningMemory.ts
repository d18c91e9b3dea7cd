import type { RememberedReasoning } from './rememberedReasoning.js';

/** Default bounds of a process-local memory: enough for many concurrent tool loops, small next to the heap. */
export const REASONING_MEMORY_MAX_ENTRIES = 10_000;
export const REASONING_MEMORY_MAX_BYTES = 64 * 1024 * 1024;
/** A tool loop's next turn comes within seconds or minutes; an hour covers a slow human in the loop. */
export const REASONING_MEMORY_TTL_MS = 60 * 60 * 1000;

/**
 * Per-caller store of the reasoning emitted with tool calls, keyed by the message's first tool-call id.
 * `scope` separates callers (the gateway key id) so one caller's ids never reach another's reasoning.
 * Failures are the implementation's to absorb: remember never throws, recall answers "unknown" instead.
 */
export interface ReasoningMemory {
  remember(scope: string, reasoning: RememberedReasoning): void;
  /** One answer per first tool-call id, in order; synchronous when the answer is local. */
  recall(scope: string, firstToolCallIds: readonly string[]): RecallResult | Promise<RecallResult>;
}

export type RecallResult = (RememberedReasoning | undefined)[];
