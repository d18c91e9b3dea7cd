import { ECHOED_MESSAGE_FIELDS, ECHOED_TOOL_CALL_FIELDS, MAX_TOOL_CALL_ID_LENGTH, type RememberedReasoning, type RememberedToolCall } from './rememberedReasoning.js';

export interface EmittedToolCall {
  id: string;
  name: string;
  /** Everything the call carried; only the echoed fields are kept. */
  fields: Record<string, unknown> | undefined;
}

/**
 * The part of one emitted assistant message worth remembering, or undefined when there is none: no tool calls (the
 * next turn cannot refer to it), or neither an echoed field nor reasoning text (nothing a client could drop).
 * `reasoningText` is kept too: a thinking block streamed without its text needs it, and DeepSeek's thinking mode
 * refuses a tool-call turn that comes back without its `reasoning_content`.
 */
export function toRememberedReasoning(
  toolCalls: readonly EmittedToolCall[],
  messageFields: Record<string, unknown> | undefined,
  reasoningText: string | undefined,
): RememberedReasoning | undefined {
  const first = toolCalls[0];
  if (first === undefined || first.id === '' || first.id.length > MAX_TOOL_CALL_ID_LENGTH) return undefined;
  const fields = pick(messageFields, ECHOED_MESSAGE_FIELDS);
  let echoed = fields !== undefined;
  const calls = toolCalls.map((call): RememberedToolCall => {
    const callFields = pick(call.fields, ECHOED_TOOL_CALL_FIELDS);
    if (callFields === undefined) return { id: call.id, name: call.name };
    echoed = true;
    return { id: call.id, name: call.name, fields: callFields };
  });
  const hasText = reasoningText !== undefined && reasoningText !== '';
  if (!echoed && !hasText) return undefined;
  const message = fields ?? {};
  // Blocks that hold their own text need no copy of it.
  if (hasText && (message.thinking_blocks === undefined || hasEmptyThinkingBlock(message.thinking_blocks))) message.reasoning_content = reasoningText;
  return { toolCalls: calls, fields: message };
}

function pick(source: Record<string, unknown> | undefined, names: readonly string[]): Record<string, unknown> | undefined {
  if (source === undefined) return undefined;
  let picked: Record<string, unknown> | undefined;
  for (const name of names) {
    const value = source[name];
    if (value !== undefined && value !== null) (picked ??= {})[name] = value;
  }
  return picked;
}

function hasEmptyThinkingBlock(blocks: unknown): boolean {
  if (!Array.isArray(blocks)) return false;
  return blocks.some((block: unknown) => block !== null && typeof block === 'object' && (block as Record<string, unknown>).type === 'thinking' && (block as Record<string, unknown>).thinking === '');
}
