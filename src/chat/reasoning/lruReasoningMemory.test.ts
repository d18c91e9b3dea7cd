import { describe, expect, it } from 'vitest';
import { LruReasoningMemory } from './lruReasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';

function entry(id: string, signature = 'sig'): RememberedReasoning {
  return { toolCalls: [{ id, name: 'get_weather' }], fields: { thinking_blocks: [{ type: 'thinking', thinking: 'Think.', signature }] } };
}

function memoryAt(start = 1_000) {
  const clock = { now: start };
  return { clock, memory: (options: { maxEntries?: number; maxBytes?: number; ttlMs?: number } = {}) => new LruReasoningMemory({ clock: () => clock.now, ...options }) };
}

describe('LruReasoningMemory', () => {
  it('recalls by the first tool-call id, within the caller scope only', () => {
    const { memory } = memoryAt();
    const lru = memory();
    lru.remember('key_a', entry('toolu_1'));
    expect(lru.recall('key_a', ['toolu_1', 'toolu_2'])).toEqual([entry('toolu_1'), undefined]);
    expect(lru.recall('key_b', ['toolu_1'])).toEqual([undefined]);
  });

  it('hands out a fresh copy each time', () => {
    const { memory } = memoryAt();
    const lru = memory();
    lru.remember('key_a', entry('toolu_1'));
    const first = lru.recall('key_a', ['toolu_1'])[0]!;
    first.fields.thinking_blocks = [];
    expect(lru.recall('key_a', ['toolu_1'])[0]).toEqual(entry('toolu_1'));
  });

  it('forgets an entry once its TTL has passed', () => {
    const { clock, memory } = memoryAt();
    const lru = memory({ ttlMs: 1_000 });
    lru.remember('key_a', entry('toolu_1'));
    clock.now += 999;
    expect(lru.recall('key_a', ['toolu_1'])[0]).toBeDefined();
    clock.now += 1;
    expect(lru.recall('key_a', ['toolu_1'])[0]).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('evicts the least recently used entry beyond the entry bound', () => {
    const { memory } = memoryAt();
    const lru = memory({ maxEntries: 2 });
    lru.remember('key_a', entry('toolu_1'));
    lru.remember('key_a', entry('toolu_2'));
    lru.recall('key_a', ['toolu_1']);
    lru.remember('key_a', entry('toolu_3'));
    expect(lru.size).toBe(2);
    expect(lru.recall('key_a', ['toolu_1', 'toolu_2', 'toolu_3']).map((found) => found?.toolCalls[0]?.id)).toEqual(['toolu_1', undefined, 'toolu_3']);
  });

  it('evicts oldest entries beyond the size bound and skips an entry larger than the bound', () => {
    const { memory } = memoryAt();
    const size = JSON.stringify(entry('toolu_1')).length;
    const lru = memory({ maxBytes: size * 2 });
    lru.remember('key_a', entry('toolu_1'));
    lru.remember('key_a', entry('toolu_2'));
    lru.remember('key_a', entry('toolu_3'));
    expect(lru.recall('key_a', ['toolu_1', 'toolu_2', 'toolu_3']).map((found) => found !== undefined)).toEqual([false, true, true]);
    lru.remember('key_a', entry('toolu_4', 'x'.repeat(size * 2)));
    expect(lru.recall('key_a', ['toolu_4'])).toEqual([undefined]);
    expect(lru.size).toBe(2);
  });

  it('replaces an entry remembered again under the same id', () => {
    const { memory } = memoryAt();
    const lru = memory({ maxEntries: 1 });
    lru.remember('key_a', entry('toolu_1', 'old'));
    lru.remember('key_a', entry('toolu_1', 'new'));
    expect(lru.size).toBe(1);
    expect(lru.recall('key_a', ['toolu_1'])[0]).toEqual(entry('toolu_1', 'new'));
  });
});
