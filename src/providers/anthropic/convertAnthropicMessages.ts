import type { AssistantMessage, CacheControl, ChatMessage, TextPart, ToolMessage, UserMessage } from '../../core/chatMessage.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { AnthropicBlock, AnthropicTurn } from './anthropicWire.js';
import { readThinkingBlocks } from './readThinkingBlocks.js';
import { toAnthropicToolId } from './toAnthropicToolId.js';
import { toAnthropicUserBlock, type BlockContext } from './toAnthropicUserBlock.js';

export interface AnthropicConversation {
  /** Every system and developer message, hoisted in order. */
  system: AnthropicBlock[];
  /** Alternating turns, user first. */
  turns: AnthropicTurn[];
  /** Tool names called in the history (Anthropic wants them defined even when no tools are offered now). */
  historyToolNames: string[];
}

/** Text of the turn inserted where Anthropic needs a user turn and the conversation has none. */
export const PLACEHOLDER_USER_TEXT = '.';

/**
 * OpenAI messages → Anthropic `system` + `messages` (§3.2): system/developer hoisted as text blocks; tool results
 * merged into one user turn with the `tool_result` blocks first; assistant tool calls as `tool_use` (ids sanitised
 * the same way as in the results); preserved thinking blocks first in their assistant turn; `cache_control` kept.
 */
export function convertAnthropicMessages(messages: ChatMessage[], context: BlockContext): AnthropicConversation {
  const system: AnthropicBlock[] = [];
  const turns: AnthropicTurn[] = [];
  const toolNames = new Set<string>();
  let conversationStarted = false;
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const blocks = textBlocks(message.content);
        applyMessageCacheControl(message, blocks, param, context);
        if (conversationStarted && blocks.length > 0) {
          context.warnings.push({
            code: 'unsupported_parameter',
            param,
            message: `Anthropic takes system instructions only before the conversation; '${param}' was moved to the top-level system prompt.`,
          });
        }
        system.push(...blocks);
        break;
      }
      case 'user':
        conversationStarted = true;
        addBlocks(turns, 'user', userBlocks(message, param, context));
        break;
      case 'tool':
        conversationStarted = true;
        addToolResult(turns, toolResult(message, param, context));
        break;
      case 'assistant':
        conversationStarted = true;
        for (const call of message.tool_calls ?? []) toolNames.add(call.function.name);
        addBlocks(turns, 'assistant', assistantBlocks(message, param, context));
        break;
    }
  });
  trimPrefill(turns, messages.length - 1, context);
  if (turns[0]?.role !== 'user') {
    turns.unshift({ role: 'user', content: [{ type: 'text', text: PLACEHOLDER_USER_TEXT }] });
    context.warnings.push({
      code: 'unsupported_parameter',
      param: 'messages',
      message: `Anthropic needs the conversation to start with a user turn; a placeholder user turn ('${PLACEHOLDER_USER_TEXT}') was added.`,
    });
  }
  return { system, turns, historyToolNames: [...toolNames] };
}

function textBlocks(content: string | TextPart[]): AnthropicBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicBlock[] = [];
  for (const part of content) {
    if (part.text === '') continue;
    const block: AnthropicBlock = { type: 'text', text: part.text };
    if (part.cache_control !== undefined) block.cache_control = part.cache_control;
    blocks.push(block);
  }
  return blocks;
}

function userBlocks(message: UserMessage, param: string, context: BlockContext): AnthropicBlock[] {
  let blocks: AnthropicBlock[];
  if (typeof message.content === 'string') blocks = textBlocks(message.content);
  else {
    blocks = [];
    message.content.forEach((part, index) => {
      const block = toAnthropicUserBlock(part, `${param}.content[${index}]`, context);
      if (block !== undefined) blocks.push(block);
    });
  }
  applyMessageCacheControl(message, blocks, param, context);
  return blocks;
}

function toolResult(message: ToolMessage, param: string, context: BlockContext): AnthropicBlock {
  const block: AnthropicBlock = { type: 'tool_result', tool_use_id: toAnthropicToolId(message.tool_call_id) };
  if (typeof message.content === 'string') {
    if (message.content !== '') block.content = message.content;
  } else {
    const blocks = textBlocks(message.content);
    if (blocks.length > 0) block.content = blocks;
  }
  applyMessageCacheControl(message, [block], param, context);
  return block;
}

function assistantBlocks(message: AssistantMessage, param: string, context: BlockContext): AnthropicBlock[] {
  const blocks = readThinkingBlocks(message, param, context.warnings);
  const thinkingCount = blocks.length;
  const content = message.content;
  if (typeof content === 'string') blocks.push(...textBlocks(content));
  else if (Array.isArray(content)) {
    content.forEach((part, index) => {
      if (part.type === 'text' || part.type === 'refusal') {
        const text = part.type === 'text' ? part.text : part.refusal;
        if (text === '') return;
        const block: AnthropicBlock = { type: 'text', text };
        if (part.type === 'text' && part.cache_control !== undefined) block.cache_control = part.cache_control;
        blocks.push(block);
      } else {
        const path = `${param}.content[${index}]`;
        context.warnings.push({ code: 'unsupported_parameter', param: path, message: `Anthropic assistant turns hold only text and tool use; '${path}' (${part.type}) was not sent.` });
      }
    });
  }
  if (blocks.length === thinkingCount && typeof message.refusal === 'string' && message.refusal !== '') blocks.push({ type: 'text', text: message.refusal });
  message.tool_calls?.forEach((call, index) => {
    blocks.push({
      type: 'tool_use',
      id: toAnthropicToolId(call.id),
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${param}.tool_calls[${index}].function.arguments`),
    });
  });
  // The cache marker goes on the last block the client wrote, never on a thinking block.
  applyMessageCacheControl(message, blocks.slice(thinkingCount), param, context);
  return blocks;
}

/** Tool-call arguments are a JSON string in OpenAI and an object in Anthropic (§10.3). */
function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter(param, `'${param}' is not valid JSON; Anthropic needs tool-call arguments as a JSON object.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(param, `'${param}' must be a JSON object for Anthropic.`);
  }
  return value as Record<string, unknown>;
}

/** A message-level `cache_control` (LiteLLM/OpenRouter convention) marks the message's last block. */
function applyMessageCacheControl(message: ChatMessage, blocks: AnthropicBlock[], param: string, context: BlockContext): void {
  const value = message.cache_control;
  if (value === undefined) return;
  const last = blocks.at(-1);
  if (!isCacheControl(value) || last === undefined) {
    context.warnings.push({ code: 'unsupported_parameter', param: `${param}.cache_control`, message: `'${param}.cache_control' could not be applied and was ignored.` });
    return;
  }
  last.cache_control ??= value;
}

function isCacheControl(value: unknown): value is CacheControl {
  if (value === null || typeof value !== 'object') return false;
  const control = value as Record<string, unknown>;
  return control.type === 'ephemeral' && (control.ttl === undefined || typeof control.ttl === 'string');
}

function addBlocks(turns: AnthropicTurn[], role: AnthropicTurn['role'], blocks: AnthropicBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** Tool results join the current user turn ahead of any other content: Anthropic wants them first. */
function addToolResult(turns: AnthropicTurn[], block: AnthropicBlock): void {
  const last = turns.at(-1);
  if (last?.role !== 'user') {
    turns.push({ role: 'user', content: [block] });
    return;
  }
  const firstOther = last.content.findIndex((existing) => existing.type !== 'tool_result');
  if (firstOther < 0) last.content.push(block);
  else last.content.splice(firstOther, 0, block);
}

/** A final assistant turn is a prefill, whose text may not end in whitespace. */
function trimPrefill(turns: AnthropicTurn[], lastIndex: number, context: BlockContext): void {
  const last = turns.at(-1);
  const block = last?.content.at(-1);
  if (last?.role !== 'assistant' || block?.type !== 'text' || typeof block.text !== 'string') return;
  const trimmed = block.text.trimEnd();
  if (trimmed === block.text) return;
  context.warnings.push({
    code: 'unsupported_parameter',
    param: `messages[${lastIndex}].content`,
    message: 'Anthropic rejects a final assistant message ending in whitespace; the trailing whitespace was removed.',
  });
  if (trimmed === '') last.content.pop();
  else block.text = trimmed;
  if (last.content.length === 0) turns.pop();
}
