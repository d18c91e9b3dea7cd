import type { LruReasoningMemory } from './lruReasoningMemory.js';
import type { ReasoningMemory, RecallResult } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';

/**
 * This instance's memory in front of a shared one: writes go to both; reads ask the shared store only for what is
 * not here (the next turn usually comes back to the same instance), and keep what it returns.
 */
export class LayeredReasoningMemory implements ReasoningMemory {
  constructor(
    private readonly near: LruReasoningMemory,
    private readonly far: ReasoningMemory,
  ) {}

  remember(scope: string, reasoning: RememberedReasoning): void {
    this.near.remember(scope, reasoning);
    this.far.remember(scope, reasoning);
  }

  recall(scope: string, firstToolCallIds: readonly string[]): RecallResult | Promise<RecallResult> {
    const local = this.near.recall(scope, firstToolCallIds);
    const missing = firstToolCallIds.filter((_, index) => local[index] === undefined);
    if (missing.length === 0) return local;
    return Promise.resolve(this.far.recall(scope, missing)).then((remote) => {
      let next = 0;
      return local.map((found) => {
        if (found !== undefined) return found;
        const shared = remote[next++];
        if (shared !== undefined) this.near.remember(scope, shared);
        return shared;
      });
    });
  }
}
