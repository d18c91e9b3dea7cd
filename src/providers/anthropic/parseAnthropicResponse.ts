import type { ToolCall } from '../../core/chatMessage.js';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { ChatResult, ResultMessage } from '../../core/chatResult.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { jsonFromToolInput, jsonResponseTool } from './jsonResponseTool.js';
import { mapAnthropicStopReason } from './mapAnthropicStopReason.js';
import { parseAnthropicUsage } from './parseAnthropicUsage.js';

/**
 * An Anthropic `Message` → neutral result (§3.3, §3.4): text blocks joined into `content`, `tool_use` blocks as tool
 * calls with JSON-string arguments, thinking as `reasoning_content` plus the signed `thinking_blocks` the client
 * echoes back, and the JSON-mode emulation undone (its tool input becomes the content, finish reason `stop`).
 */
export function parseAnthropicResponse(body: unknown, request: ChatRequest, effects: AdapterEffects): ChatResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw malformedUpstream('body is not a JSON object');
  const response = body as Record<string, unknown>;
  if (!Array.isArray(response.content)) throw malformedUpstream(response.type === 'error' ? 'an error body with status 200' : 'no content array');

  const jsonTool = jsonResponseTool(request);
  let text = '';
  let reasoning = '';
  let emulatedJson: string | undefined;
  const thinkingBlocks: Record<string, unknown>[] = [];
  const toolCalls: ToolCall[] = [];
  for (const raw of response.content as unknown[]) {
    if (raw === null || typeof raw !== 'object') continue;
    const block = raw as Record<string, unknown>;
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string') text += block.text;
        break;
      case 'thinking': {
        const thinking = typeof block.thinking === 'string' ? block.thinking : '';
        reasoning += thinking;
        thinkingBlocks.push({ type: 'thinking', thinking, signature: typeof block.signature === 'string' ? block.signature : '' });
        break;
      }
      case 'redacted_thinking':
        thinkingBlocks.push({ type: 'redacted_thinking', data: typeof block.data === 'string' ? block.data : '' });
        break;
      case 'tool_use': {
        const name = typeof block.name === 'string' ? block.name : '';
        if (jsonTool !== undefined && name === jsonTool.name) {
          emulatedJson = jsonFromToolInput(jsonTool, block.input);
          break;
        }
        toolCalls.push({
          id: typeof block.id === 'string' && block.id !== '' ? block.id : effects.newId('toolu_'),
          type: 'function',
          function: { name, arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      }
      default:
        // Server-tool blocks (web search, code execution) ran at Anthropic; they are not the client's tool calls.
        break;
    }
  }

  let finishReason = mapAnthropicStopReason(response.stop_reason);
  if (emulatedJson !== undefined && toolCalls.length === 0 && finishReason === 'tool_calls') finishReason = 'stop';
  const message: ResultMessage = { content: emulatedJson ?? (text === '' && toolCalls.length > 0 ? null : text) };
  if (reasoning !== '') message.reasoningContent = reasoning;
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (thinkingBlocks.length > 0) message.extra = { thinking_blocks: thinkingBlocks };
  return {
    id: typeof response.id === 'string' && response.id !== '' ? response.id : effects.newId('msg_'),
    created: Math.floor(effects.now() / 1000),
    model: typeof response.model === 'string' ? response.model : '',
    choices: [{ index: 0, message, finishReason }],
    usage: parseAnthropicUsage(response.usage),
  };
}
