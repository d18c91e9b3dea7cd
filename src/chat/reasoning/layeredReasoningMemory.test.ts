import { describe, expect, it } from 'vitest';
import { LayeredReasoningMemory } from './layeredReasoningMemory.js';
import { LruReasoningMemory } from './lruReasoningMemory.js';
import type { ReasoningMemory, RecallResult } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';

function entry(id: string): RememberedReasoning {
  return { toolCalls: [{ id, name: 'f' }], fields: { thinking_blocks: [{ type: 'redacted_thinking', data: id }] } };
}

function shared(): { memory: ReasoningMemory; lru: LruReasoningMemory; asked: string[][] } {
  const lru = new LruReasoningMemory({ clock: () => 0 });
  const asked: string[][] = [];
  return {
    lru,
    asked,
    memory: {
      remember: (scope, reasoning) => lru.remember(scope, reasoning),
      recall: (scope, ids): Promise<RecallResult> => {
        asked.push([...ids]);
        return Promise.resolve(lru.recall(scope, ids));
      },
    },
  };
}

describe('LayeredReasoningMemory', () => {
  it('writes to both layers and answers from this instance without asking the shared store', () => {
    const far = shared();
    const layered = new LayeredReasoningMemory(new LruReasoningMemory({ clock: () => 0 }), far.memory);
    layered.remember('key_a', entry('a'));
    expect(far.lru.size).toBe(1);
    expect(layered.recall('key_a', ['a'])).toEqual([entry('a')]);
    expect(far.asked).toEqual([]);
  });

  it('asks the shared store only for what is missing here, and keeps what it returns', async () => {
    const far = shared();
    far.lru.remember('key_a', entry('b'));
    const near = new LruReasoningMemory({ clock: () => 0 });
    near.remember('key_a', entry('a'));
    const layered = new LayeredReasoningMemory(near, far.memory);
    expect(await layered.recall('key_a', ['a', 'b', 'c'])).toEqual([entry('a'), entry('b'), undefined]);
    expect(far.asked).toEqual([['b', 'c']]);
    expect(near.recall('key_a', ['b'])).toEqual([entry('b')]);
  });
});
