import { describe, expect, it } from 'vitest';
import type { ChatResult, ResultMessage } from '../../core/chatResult.js';
import type { ReasoningMemory } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';
import { rememberReasoning } from './rememberReasoning.js';

const BLOCK = { type: 'thinking', thinking: 'Think.', signature: 'c2ln' };
const SIGNED = { google: { thought_signature: 'dGhvdWdodA==' } };

function result(...messages: ResultMessage[]): ChatResult {
  return { id: 'r', created: 0, model: 'm', usage: undefined, choices: messages.map((message, index) => ({ index, message, finishReason: 'tool_calls' })) };
}

function recorder(): { memory: ReasoningMemory; stored: [string, RememberedReasoning][] } {
  const stored: [string, RememberedReasoning][] = [];
  return { stored, memory: { remember: (scope, reasoning) => stored.push([scope, reasoning]), recall: () => [] } };
}

const CALL = { id: 'toolu_1', type: 'function' as const, function: { name: 'get_weather', arguments: '{}' } };

describe('rememberReasoning', () => {
  it('remembers the echoed message fields and per-call fields of a tool-call answer, per choice', () => {
    const { memory, stored } = recorder();
    rememberReasoning(
      result(
        { content: null, reasoningContent: 'Think.', toolCalls: [CALL], extra: { thinking_blocks: [BLOCK], annotations: [] } },
        { content: null, toolCalls: [{ ...CALL, id: 'call_2', extra_content: SIGNED }, { ...CALL, id: 'call_3' }] },
      ),
      memory,
      'key_a',
    );
    expect(stored).toEqual([
      ['key_a', { toolCalls: [{ id: 'toolu_1', name: 'get_weather' }], fields: { thinking_blocks: [BLOCK] } }],
      ['key_a', { toolCalls: [{ id: 'call_2', name: 'get_weather', fields: { extra_content: SIGNED } }, { id: 'call_3', name: 'get_weather' }], fields: {} }],
    ]);
  });

  it('keeps the reasoning text when a thinking block came without it', () => {
    const { memory, stored } = recorder();
    rememberReasoning(result({ content: null, reasoningContent: 'Think.', toolCalls: [CALL], extra: { thinking_blocks: [{ ...BLOCK, thinking: '' }] } }), memory, 'key_a');
    expect(stored[0]?.[1].fields).toEqual({ thinking_blocks: [{ ...BLOCK, thinking: '' }], reasoning_content: 'Think.' });
  });

  it('remembers nothing for an answer without tool calls, or with tool calls but nothing to echo', () => {
    const { memory, stored } = recorder();
    rememberReasoning(result({ content: 'Hi', extra: { thinking_blocks: [BLOCK] } }, { content: null, toolCalls: [CALL] }), memory, 'key_a');
    expect(stored).toEqual([]);
  });

  it('remembers the reasoning text of a tool-call turn without blocks (DeepSeek thinking mode needs it back)', () => {
    const { memory, stored } = recorder();
    rememberReasoning(result({ content: null, reasoningContent: 'Think.', toolCalls: [CALL] }), memory, 'key_a');
    expect(stored[0]?.[1].fields).toEqual({ reasoning_content: 'Think.' });
  });

  it('does not copy reasoning text that the thinking blocks already hold', () => {
    const { memory, stored } = recorder();
    rememberReasoning(result({ content: null, reasoningContent: 'Think.', toolCalls: [CALL], extra: { thinking_blocks: [BLOCK] } }), memory, 'key_a');
    expect(stored[0]?.[1].fields).toEqual({ thinking_blocks: [BLOCK] });
  });
});
