import type { ChatMessage, ToolCall } from '../../core/chatMessage.js';
import { invalidParameter, missingParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import { ASSISTANT_CONTENT, TEXT_CONTENT, USER_CONTENT, validateContent, type ContentPolicy } from './validateContent.js';
import { validateFunctionCall, validateToolCalls } from './validateToolCalls.js';
import { describeValue, expectArray, expectString, isRecord } from './valueChecks.js';

const ROLES = "'system', 'developer', 'user', 'assistant', 'tool' or 'function'";

interface ConversationState {
  /** Ids of every assistant tool call so far; a tool message must answer one of them. */
  toolCallIds: Set<string>;
  /** Legacy `function_call`s converted to tool calls and not yet answered by a `function` message, oldest first. */
  pendingFunctionCalls: { id: string; name: string }[];
  /** Whether any legacy message shape was converted (one warning for all). */
  converted: boolean;
}

/**
 * Validates `messages` and converts the legacy function-calling shapes to tool calls, so that
 * downstream code only sees tools. Valid messages are returned as the caller's own objects; a message
 * is copied (shallowly) only when it has to change.
 */
export function validateMessages(value: unknown, warnings: Warning[]): ChatMessage[] {
  if (value === undefined || value === null) throw missingParameter('messages');
  if (!Array.isArray(value)) throw invalidParameter('messages', `'messages' must be an array of messages, got ${describeValue(value)}.`);
  if (value.length === 0) throw invalidParameter('messages', "'messages' must contain at least one message.");
  const state: ConversationState = { toolCallIds: new Set(), pendingFunctionCalls: [], converted: false };
  const messages: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) messages.push(validateMessage(value[i], i, state));
  if (state.converted) {
    warnings.push({
      code: 'legacy_field_converted',
      param: 'messages',
      message: "Legacy 'function_call' fields and 'function' role messages were converted to 'tool_calls' and 'tool' messages.",
    });
  }
  return messages;
}

function validateMessage(message: unknown, index: number, state: ConversationState): ChatMessage {
  const param = `messages[${index}]`;
  if (!isRecord(message)) throw invalidParameter(param, `'${param}' must be a message object, got ${describeValue(message)}.`);
  const role = message.role;
  switch (role) {
    case 'system':
    case 'developer':
      return validatePlainMessage(message, param, TEXT_CONTENT, role);
    case 'user':
      return validatePlainMessage(message, param, USER_CONTENT, role);
    case 'assistant':
      return validateAssistantMessage(message, param, index, state);
    case 'tool':
      return validateToolMessage(message, param, state);
    case 'function':
      return convertFunctionMessage(message, param, state);
    case undefined:
      throw missingParameter(`${param}.role`);
    default:
      throw invalidParameter(`${param}.role`, `'${param}.role' must be one of ${ROLES}, got ${describeValue(role)}.`);
  }
}

function validatePlainMessage(message: Record<string, unknown>, param: string, policy: ContentPolicy, role: string): ChatMessage {
  if (message.content === undefined) throw missingParameter(`${param}.content`);
  validateContent(message.content, `${param}.content`, policy, role);
  return (checkName(message, param) ? message : withoutFields(message, ['name'])) as unknown as ChatMessage;
}

function validateAssistantMessage(message: Record<string, unknown>, param: string, index: number, state: ConversationState): ChatMessage {
  // Fields that a client echoing back an earlier response sends as null (or empty) mean "none": they are
  // removed so that downstream code sees them absent, as the types say.
  const remove: string[] = [];
  if (!checkName(message, param)) remove.push('name');
  if (message.reasoning_content === null) remove.push('reasoning_content');
  else if (message.reasoning_content !== undefined) expectString(message.reasoning_content, `${param}.reasoning_content`);
  if (message.refusal !== undefined && message.refusal !== null) expectString(message.refusal, `${param}.refusal`);

  let hasToolCalls = false;
  if (message.tool_calls === null) remove.push('tool_calls');
  else if (message.tool_calls !== undefined) {
    const calls = expectArray(message.tool_calls, `${param}.tool_calls`);
    if (calls.length === 0) remove.push('tool_calls');
    else {
      validateToolCalls(calls, `${param}.tool_calls`, state.toolCallIds);
      hasToolCalls = true;
    }
  }

  let convertedCalls: ToolCall[] | undefined;
  if (message.function_call === null) remove.push('function_call');
  else if (message.function_call !== undefined) {
    const fn = validateFunctionCall(message.function_call, `${param}.function_call`);
    remove.push('function_call');
    state.converted = true;
    if (!hasToolCalls) {
      // Legacy function calling: one call per message, answered by the next `function` message of that name.
      const id = `call_fn_${index}`;
      convertedCalls = [{ id, type: 'function', function: fn }];
      state.toolCallIds.add(id);
      state.pendingFunctionCalls.push({ id, name: fn.name });
      hasToolCalls = true;
    }
  }

  const content = message.content;
  if (content === undefined || content === null) {
    if (!hasToolCalls && typeof message.refusal !== 'string') {
      if (content === undefined) throw missingParameter(`${param}.content`);
      throw invalidParameter(`${param}.content`, `'${param}.content' may be null only when the message has 'tool_calls' or a 'refusal'.`);
    }
  } else {
    validateContent(content, `${param}.content`, ASSISTANT_CONTENT, 'assistant', hasToolCalls);
  }

  if (remove.length === 0 && convertedCalls === undefined && content !== undefined) return message as unknown as ChatMessage;
  const copy = withoutFields(message, remove);
  if (convertedCalls !== undefined) copy.tool_calls = convertedCalls;
  if (content === undefined) copy.content = null;
  return copy as unknown as ChatMessage;
}

function validateToolMessage(message: Record<string, unknown>, param: string, state: ConversationState): ChatMessage {
  if (message.tool_call_id === undefined) throw missingParameter(`${param}.tool_call_id`);
  const id = expectString(message.tool_call_id, `${param}.tool_call_id`);
  if (!state.toolCallIds.has(id)) {
    throw invalidParameter(
      `${param}.tool_call_id`,
      `'${param}.tool_call_id' is ${describeValue(id)}, which is not the id of any tool call in an earlier assistant message.`,
    );
  }
  if (message.content === undefined) throw missingParameter(`${param}.content`);
  validateContent(message.content, `${param}.content`, TEXT_CONTENT, 'tool');
  return message as unknown as ChatMessage;
}

/** `{role: "function", name, content}` → `{role: "tool", tool_call_id, content}` answering the latest open call of that name. */
function convertFunctionMessage(message: Record<string, unknown>, param: string, state: ConversationState): ChatMessage {
  if (message.name === undefined) throw missingParameter(`${param}.name`);
  const name = expectString(message.name, `${param}.name`);
  const content = message.content;
  if (content !== undefined && content !== null) validateContent(content, `${param}.content`, TEXT_CONTENT, 'function');
  const pending = state.pendingFunctionCalls;
  let match = pending.length - 1;
  while (match >= 0 && pending[match]?.name !== name) match--;
  const call = pending[match];
  if (call === undefined) {
    throw invalidParameter(
      `${param}.name`,
      `'${param}.name' is ${describeValue(name)}, but no earlier assistant 'function_call' of that name is waiting for a result.`,
    );
  }
  pending.splice(match, 1);
  state.converted = true;
  const copy = withoutFields(message, ['name']);
  copy.role = 'tool';
  copy.tool_call_id = call.id;
  copy.content = content ?? '';
  return copy as unknown as ChatMessage;
}

/** `name` must be a string when present; false when it is null (to be removed). */
function checkName(message: Record<string, unknown>, param: string): boolean {
  if (message.name === null) return false;
  if (message.name !== undefined) expectString(message.name, `${param}.name`);
  return true;
}

/** A shallow copy without `fields`; spreading (not assignment) keeps keys such as `__proto__` plain data. */
function withoutFields(message: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...message };
  for (const field of fields) delete copy[field];
  return copy;
}
