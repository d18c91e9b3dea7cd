import type { AssistantMessage } from '../../core/chatMessage.js';
import type { Warning } from '../../core/warning.js';
import type { AnthropicBlock } from './anthropicWire.js';

/**
 * The signed reasoning an assistant message carries back (§3.5): LiteLLM-style `thinking_blocks` as we emit them,
 * or OpenRouter's `reasoning_details`. Blocks come back unchanged (they are signed) and in order; only
 * `cache_control`, which Anthropic refuses on thinking blocks, is removed.
 */
export function readThinkingBlocks(message: AssistantMessage, param: string, warnings: Warning[]): AnthropicBlock[] {
  if (Array.isArray(message.thinking_blocks)) return fromThinkingBlocks(message, message.thinking_blocks as unknown[], `${param}.thinking_blocks`, warnings);
  if (Array.isArray(message.reasoning_details)) return fromReasoningDetails(message.reasoning_details as unknown[]);
  return [];
}

function fromThinkingBlocks(message: AssistantMessage, items: unknown[], param: string, warnings: Warning[]): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  items.forEach((item, index) => {
    const path = `${param}[${index}]`;
    if (!isThinkingBlock(item)) {
      warnings.push({ code: 'unsupported_parameter', param: path, message: `'${path}' is not a thinking or redacted_thinking block and was not sent.` });
      return;
    }
    const { cache_control: cacheControl, ...block } = item;
    if (cacheControl !== undefined) {
      warnings.push({ code: 'unsupported_parameter', param: `${path}.cache_control`, message: `Anthropic does not take cache_control on thinking blocks; '${path}.cache_control' was removed.` });
    }
    blocks.push(block);
  });
  fillStreamedThinking(message, blocks);
  return blocks;
}

/**
 * A streaming client only ever sees a thinking block's signature in `thinking_blocks` (its text arrives as
 * `reasoning_content` deltas), so it echoes `{thinking: "", signature}`. With exactly one such block and the
 * accumulated `reasoning_content`, the block is whole again; anything more ambiguous is sent as echoed.
 */
function fillStreamedThinking(message: AssistantMessage, blocks: AnthropicBlock[]): void {
  const reasoning = message.reasoning_content;
  if (typeof reasoning !== 'string' || reasoning === '') return;
  const thinking = blocks.filter((block) => block.type === 'thinking');
  const only = thinking[0];
  if (thinking.length !== 1 || only === undefined || only.thinking !== '') return;
  blocks[blocks.indexOf(only)] = { ...only, thinking: reasoning };
}

function fromReasoningDetails(items: unknown[]): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const detail = item as Record<string, unknown>;
    // Unsigned text and summaries cannot be verified by Anthropic, so they are not sent (as for reasoning_content).
    if (detail.type === 'reasoning.text' && typeof detail.signature === 'string' && detail.signature !== '') {
      blocks.push({ type: 'thinking', thinking: typeof detail.text === 'string' ? detail.text : '', signature: detail.signature });
    } else if (detail.type === 'reasoning.encrypted' && typeof detail.data === 'string') {
      blocks.push({ type: 'redacted_thinking', data: detail.data });
    }
  }
  return blocks;
}

function isThinkingBlock(item: unknown): item is AnthropicBlock {
  if (item === null || typeof item !== 'object') return false;
  const block = item as Record<string, unknown>;
  if (block.type === 'thinking') return typeof block.thinking === 'string' && typeof block.signature === 'string';
  return block.type === 'redacted_thinking' && typeof block.data === 'string';
}
