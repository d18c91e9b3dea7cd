import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../core/chatMessage.js';
import type { ChatRequest } from '../core/chatRequest.js';
import { estimatePromptTokens } from './estimatePromptTokens.js';

function request(messages: ChatMessage[], tools?: unknown[]): ChatRequest {
  return { messages, params: tools === undefined ? {} : { tools } } as unknown as ChatRequest;
}

describe('estimatePromptTokens', () => {
  it('counts about four characters a token plus a few tokens per message', () => {
    expect(estimatePromptTokens(request([{ role: 'user', content: '12345678' }]))).toBe(2 + 3);
    expect(estimatePromptTokens(request([{ role: 'user', content: [{ type: 'text', text: 'abcd' }, { type: 'image_url', image_url: { url: 'x' } }] }]))).toBe(1 + 3 + 800);
  });

  it('counts what an assistant turn sends back upstream: tool calls and echoed or restored reasoning', () => {
    const withCall: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] };
    const bare = estimatePromptTokens(request([withCall]));
    expect(bare).toBe(Math.ceil((7 + 15) / 4) + 3);
    const reasoning = 'r'.repeat(400);
    expect(estimatePromptTokens(request([{ ...withCall, reasoning_content: reasoning }]))).toBe(Math.ceil((7 + 15 + 400) / 4) + 3);
  });

  it('counts the tool definitions as their JSON', () => {
    const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }];
    expect(estimatePromptTokens(request([], tools))).toBe(Math.ceil(JSON.stringify(tools).length / 4));
  });
});
