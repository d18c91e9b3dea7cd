import type { AssistantMessage, ChatMessage, ToolCall } from '../../core/chatMessage.js';
import type { ChatRequest } from '../../core/chatRequest.js';
import type { ReasoningMemory, RecallResult } from './reasoningMemory.js';
import { ECHOED_MESSAGE_FIELDS, ECHOED_TOOL_CALL_FIELDS, MAX_TOOL_CALL_ID_LENGTH, type RememberedReasoning } from './rememberedReasoning.js';

/** Message fields a remembered entry may put back; anything else in an entry is ignored. */
const RESTORED_MESSAGE_FIELDS: readonly string[] = [...ECHOED_MESSAGE_FIELDS, 'reasoning_content'];

/**
 * Puts remembered reasoning back on echoed assistant messages whose tool calls came without any of it (a client
 * that rebuilt the message from role/content/tool_calls), so that every adapter reads it as if the client had sent
 * it. A message is restored only when all its tool-call ids and names match what was remembered, and only fields
 * the client left out are added. Without such a message the same request object comes back, synchronously.
 */
export function restoreReasoning(request: ChatRequest, memory: ReasoningMemory, scope: string): ChatRequest | Promise<ChatRequest> {
  const { messages } = request;
  let first = 0;
  // The common case (no echoed tool calls, or ones that kept their fields) ends here without allocating.
  while (first < messages.length && !lacksReasoning(messages[first] as ChatMessage)) first++;
  if (first === messages.length) return request;

  const positions: number[] = [];
  const ids: string[] = [];
  for (let index = first; index < messages.length; index++) {
    const message = messages[index] as ChatMessage;
    if (message.role !== 'assistant' || !lacksReasoning(message)) continue;
    positions.push(index);
    ids.push((message.tool_calls?.[0] as ToolCall).id);
  }
  const recalled = memory.recall(scope, ids);
  return recalled instanceof Promise ? recalled.then((found) => reattach(request, positions, found)) : reattach(request, positions, recalled);
}

/** An assistant message with tool calls that carries no echoed field, on the message or on any call. */
function lacksReasoning(message: ChatMessage): boolean {
  if (message.role !== 'assistant') return false;
  const calls = message.tool_calls;
  if (calls === undefined || calls.length === 0) return false;
  const firstId = (calls[0] as ToolCall).id;
  if (typeof firstId !== 'string' || firstId === '' || firstId.length > MAX_TOOL_CALL_ID_LENGTH) return false;
  for (const field of ECHOED_MESSAGE_FIELDS) if (isPresent(message[field])) return false;
  for (const call of calls) for (const field of ECHOED_TOOL_CALL_FIELDS) if (isPresent(call[field])) return false;
  return true;
}

function reattach(request: ChatRequest, positions: readonly number[], found: RecallResult): ChatRequest {
  let messages: ChatMessage[] | undefined;
  positions.forEach((position, at) => {
    const reasoning = found[at];
    const message = request.messages[position] as AssistantMessage;
    if (reasoning === undefined || !sameCalls(message.tool_calls ?? [], reasoning)) return;
    messages ??= request.messages.slice();
    messages[position] = withReasoning(message, reasoning);
  });
  return messages === undefined ? request : { ...request, messages };
}

/** The remembered entry belongs to exactly these calls: same ids and function names, in the same order. */
function sameCalls(calls: readonly ToolCall[], reasoning: RememberedReasoning): boolean {
  if (calls.length !== reasoning.toolCalls.length) return false;
  return calls.every((call, index) => {
    const remembered = reasoning.toolCalls[index];
    return remembered !== undefined && remembered.id === call.id && remembered.name === call.function.name;
  });
}

function withReasoning(message: AssistantMessage, reasoning: RememberedReasoning): AssistantMessage {
  const restored: AssistantMessage = { ...message };
  for (const field of RESTORED_MESSAGE_FIELDS) {
    const value = reasoning.fields[field];
    // Validation guarantees the client's reasoning_content is a string; a stored one must be as well.
    if (field === 'reasoning_content' && typeof value !== 'string') continue;
    if (isPresent(value) && !isPresent(restored[field])) restored[field] = value;
  }
  restored.tool_calls = (message.tool_calls ?? []).map((call, index) => {
    const fields = reasoning.toolCalls[index]?.fields;
    if (fields === undefined) return call;
    let copy: ToolCall | undefined;
    for (const field of ECHOED_TOOL_CALL_FIELDS) {
      const value = fields[field];
      if (isPresent(value) && !isPresent(call[field])) (copy ??= { ...call })[field] = value;
    }
    return copy ?? call;
  });
  return restored;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
