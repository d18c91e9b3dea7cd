import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import { LruReasoningMemory } from './lruReasoningMemory.js';
import type { ReasoningMemory, RecallResult } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';
import { restoreReasoning } from './restoreReasoning.js';

const BLOCK = { type: 'thinking', thinking: 'The user wants the weather.', signature: 'c2lnbmF0dXJl' };
const SIGNED = { google: { thought_signature: 'dGhvdWdodA==' } };

function call(id: string, name = 'get_weather') {
  return { id, type: 'function', function: { name, arguments: '{"city":"Paris"}' } };
}

function request(assistant: Record<string, unknown>, extra: Record<string, unknown>[] = []): ChatRequest {
  return validateChatRequest({
    model: 'm',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, ...assistant },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ...extra,
    ],
  }).request;
}

function remembered(): RememberedReasoning {
  return {
    toolCalls: [{ id: 'toolu_1', name: 'get_weather', fields: { extra_content: SIGNED } }, { id: 'toolu_2', name: 'get_time' }],
    fields: { thinking_blocks: [BLOCK] },
  };
}

/** A memory that counts recalls, answering from an LRU. */
function countingMemory(): { memory: ReasoningMemory; recalls: string[][]; lru: LruReasoningMemory } {
  const lru = new LruReasoningMemory({ clock: () => 0 });
  const recalls: string[][] = [];
  const memory: ReasoningMemory = {
    remember: (scope, reasoning) => lru.remember(scope, reasoning),
    recall: (scope, ids) => {
      recalls.push([...ids]);
      return lru.recall(scope, ids);
    },
  };
  return { memory, recalls, lru };
}

describe('restoreReasoning', () => {
  it('returns the same request, without asking the memory, when no assistant message has tool calls', () => {
    const { memory, recalls } = countingMemory();
    const plain = validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Bye' }] }).request;
    expect(restoreReasoning(plain, memory, 'key_a')).toBe(plain);
    expect(recalls).toEqual([]);
  });

  it('returns the same request when the client echoed the fields itself', () => {
    const { memory, recalls } = countingMemory();
    const echoedBlocks = request({ tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')], thinking_blocks: [BLOCK] });
    const echoedSignature = request({ tool_calls: [{ ...call('toolu_1'), extra_content: SIGNED }, call('toolu_2', 'get_time')] });
    expect(restoreReasoning(echoedBlocks, memory, 'key_a')).toBe(echoedBlocks);
    expect(restoreReasoning(echoedSignature, memory, 'key_a')).toBe(echoedSignature);
    expect(recalls).toEqual([]);
  });

  it('puts back the message fields and per-call fields a client dropped', () => {
    const { memory } = countingMemory();
    memory.remember('key_a', remembered());
    const stripped = request({ tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')] });
    const restored = restoreReasoning(stripped, memory, 'key_a') as ChatRequest;
    expect(restored).not.toBe(stripped);
    expect(restored.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      thinking_blocks: [BLOCK],
      tool_calls: [{ ...call('toolu_1'), extra_content: SIGNED }, call('toolu_2', 'get_time')],
    });
    // The caller's request is not changed in place.
    expect(stripped.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')] });
    expect(restored.messages[0]).toBe(stripped.messages[0]);
    expect(restored.messages[2]).toBe(stripped.messages[2]);
  });

  it('keeps what the client sent and adds reasoning_content only when absent', () => {
    const { memory } = countingMemory();
    memory.remember('key_a', { toolCalls: [{ id: 'toolu_1', name: 'get_weather' }], fields: { thinking_blocks: [{ ...BLOCK, thinking: '' }], reasoning_content: 'Remembered.' } });
    const withText = restoreReasoning(request({ tool_calls: [call('toolu_1')], reasoning_content: 'Client text.' }), memory, 'key_a') as ChatRequest;
    expect(withText.messages[1]).toMatchObject({ reasoning_content: 'Client text.', thinking_blocks: [{ ...BLOCK, thinking: '' }] });
    const without = restoreReasoning(request({ tool_calls: [call('toolu_1')] }), memory, 'key_a') as ChatRequest;
    expect(without.messages[1]).toMatchObject({ reasoning_content: 'Remembered.' });
  });

  it('leaves a message alone when its calls differ from the remembered ones (ids, names or count) or the caller differs', () => {
    const { memory } = countingMemory();
    memory.remember('key_a', remembered());
    for (const calls of [[call('toolu_1')], [call('toolu_1'), call('toolu_2', 'get_weather')], [call('toolu_1'), call('toolu_3', 'get_time')]]) {
      const stripped = request({ tool_calls: calls });
      expect(restoreReasoning(stripped, memory, 'key_a')).toBe(stripped);
    }
    const stripped = request({ tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')] });
    expect(restoreReasoning(stripped, memory, 'key_b')).toBe(stripped);
  });

  it('asks the memory once for every message that lacks its fields', () => {
    const { memory, recalls } = countingMemory();
    memory.remember('key_a', remembered());
    const stripped = request({ tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')] }, [
      { role: 'tool', tool_call_id: 'toolu_2', content: 'noon' },
      { role: 'assistant', content: null, tool_calls: [call('toolu_9')] },
      { role: 'tool', tool_call_id: 'toolu_9', content: 'rain' },
    ]);
    const restored = restoreReasoning(stripped, memory, 'key_a') as ChatRequest;
    expect(recalls).toEqual([['toolu_1', 'toolu_9']]);
    expect(restored.messages[1]).toHaveProperty('thinking_blocks');
    expect(restored.messages[4]).toBe(stripped.messages[4]);
  });

  it('waits for a memory that answers asynchronously', async () => {
    const lru = new LruReasoningMemory({ clock: () => 0 });
    lru.remember('key_a', remembered());
    const memory: ReasoningMemory = { remember: () => undefined, recall: (scope, ids): Promise<RecallResult> => Promise.resolve(lru.recall(scope, ids)) };
    const pending = restoreReasoning(request({ tool_calls: [call('toolu_1'), call('toolu_2', 'get_time')] }), memory, 'key_a');
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).messages[1]).toHaveProperty('thinking_blocks', [BLOCK]);
  });

  it('ignores stored fields it does not restore, and a non-string reasoning_content', () => {
    const { memory } = countingMemory();
    memory.remember('key_a', { toolCalls: [{ id: 'toolu_1', name: 'get_weather', fields: { id: 'other' } }], fields: { content: 'injected', reasoning_content: 42, thinking_blocks: [BLOCK] } });
    const restored = restoreReasoning(request({ tool_calls: [call('toolu_1')] }), memory, 'key_a') as ChatRequest;
    expect(restored.messages[1]).toEqual({ role: 'assistant', content: null, thinking_blocks: [BLOCK], tool_calls: [call('toolu_1')] });
  });
});
