import type { ChatMessage, ContentPart, ToolCall } from '../../core/chatMessage.js';
import type { Warning } from '../../core/warning.js';
import type { OpenAIModelRules } from './openaiModelRules.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';

export interface MessageContext {
  profile: OpenAIProtocolProfile;
  rules: OpenAIModelRules;
  /** The model reasons on this request (past reasoning may have to be back-filled). */
  reasoning: boolean;
  providerId: string;
  warnings: Warning[];
}

/**
 * The messages as this host must receive them: foreign fields removed, roles, fields and content adapted, past
 * reasoning stripped or back-filled. Copy on write: unchanged messages (and the array, when nothing changes)
 * are the caller's own objects, and nothing the caller passed is mutated.
 */
export function prepareOpenAIMessages(messages: ChatMessage[], context: MessageContext): ChatMessage[] {
  const removed = new Map<string, number>();
  let result: ChatMessage[] | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ChatMessage;
    const adapted = adaptMessage(message, index, context, removed);
    if (adapted !== message) result ??= messages.slice(0, index);
    if (result !== undefined) result.push(adapted);
  }
  for (const [field, index] of removed) {
    context.warnings.push({
      code: 'unsupported_parameter',
      param: `messages[${index}].${field}`,
      message: `Message field '${field}' is not accepted by provider '${context.providerId}' and was removed from every message.`,
    });
  }
  return result ?? messages;
}

function adaptMessage(message: ChatMessage, index: number, context: MessageContext, removed: Map<string, number>): ChatMessage {
  const { profile, rules } = context;
  let copy: Record<string, unknown> | undefined;
  const edit = (): Record<string, unknown> => (copy ??= { ...message });
  const current = (): Record<string, unknown> => copy ?? (message as Record<string, unknown>);

  for (const field of profile.foreignMessageFields) if (field in message) delete edit()[field];
  const content = message.content;
  if (Array.isArray(content)) {
    const parts = cleanObjects(content as ContentPart[], profile.foreignPartFields);
    if (parts !== content) edit().content = parts;
  }
  if (message.role === 'assistant' && message.tool_calls !== undefined) {
    const calls = cleanObjects(message.tool_calls, profile.foreignToolCallFields);
    if (calls !== message.tool_calls) edit().tool_calls = calls as ToolCall[];
  }
  if (profile.developerAsSystem === true && message.role === 'developer') edit().role = 'system';

  const role = current().role as ChatMessage['role'];
  const allowed = profile.messageFields?.[role];
  for (const field of Object.keys(current())) {
    if (field === 'role') continue;
    const rejected = (allowed !== undefined && !allowed.includes(field)) || profile.rejectedMessageFields?.includes(field) === true;
    if (!rejected) continue;
    delete edit()[field];
    if (!removed.has(field)) removed.set(field, index);
  }

  if (profile.flattenTextContent === true) {
    const text = joinedText(current().content);
    if (text !== undefined) edit().content = text;
  }

  if (role === 'assistant') applyPastReasoning(current(), edit, rules, context.reasoning);
  return copy === undefined ? message : (copy as ChatMessage);
}

/** `strip`: earlier reasoning must not go back. `backfill`: every tool-call turn must carry reasoning, if only "". */
function applyPastReasoning(message: Record<string, unknown>, edit: () => Record<string, unknown>, rules: OpenAIModelRules, reasoning: boolean): void {
  if (rules.pastReasoning === 'strip') {
    for (const field of ['reasoning_content', 'reasoning']) if (field in message) delete edit()[field];
    return;
  }
  if (rules.pastReasoning !== 'backfill' || !reasoning) return;
  const calls = message.tool_calls;
  if (!Array.isArray(calls) || calls.length === 0 || typeof message.reasoning_content === 'string') return;
  // Some clients echo reasoning under the `reasoning` spelling; it is the same text.
  const target = edit();
  target.reasoning_content = typeof message.reasoning === 'string' ? message.reasoning : '';
  delete target.reasoning;
}

/** The text of a content array made only of text parts, joined by newlines; undefined for anything else. */
function joinedText(content: unknown): string | undefined {
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const texts: string[] = [];
  for (const part of content as { type?: unknown; text?: unknown }[]) {
    if (part.type !== 'text' || typeof part.text !== 'string') return undefined;
    texts.push(part.text);
  }
  return texts.join('\n');
}

function cleanObjects<T extends object>(items: T[], fields: readonly string[]): T[] {
  let result: T[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    let copy: Record<string, unknown> | undefined;
    for (const field of fields) {
      if (field in item) {
        copy ??= { ...(item as Record<string, unknown>) };
        delete copy[field];
      }
    }
    if (copy !== undefined) result ??= items.slice(0, index);
    if (result !== undefined) result.push((copy ?? item) as T);
  }
  return result ?? items;
}
