import { createHash } from 'node:crypto';
import type { ChatMessage, ToolCall } from '../../core/chatMessage.js';

const MISTRAL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Mistral takes only tool-call ids of exactly 9 letters and digits (providers.md §7). Ids from other providers in the
 * history are replaced, in assistant `tool_calls` and the matching tool messages alike, by ids derived from a hash,
 * so the same conversation maps the same way on every turn (and keeps hitting the prompt cache). Mistral's own ids
 * pass unchanged, so nothing needs mapping back. Tool messages also get the function `name` Mistral expects.
 */
export function toMistralToolCallIds(messages: ChatMessage[]): ChatMessage[] {
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) {
      if (MISTRAL_ID.test(call.id)) taken.add(call.id);
      names.set(call.id, call.function.name);
    }
  }
  const mapping = new Map<string, string>();
  const mapId = (id: string): string => {
    if (MISTRAL_ID.test(id)) return id;
    let mapped = mapping.get(id);
    if (mapped === undefined) {
      let salt = 0;
      do mapped = hashedId(id, salt++);
      while (taken.has(mapped));
      taken.add(mapped);
      mapping.set(id, mapped);
    }
    return mapped;
  };

  let result: ChatMessage[] | undefined;
  messages.forEach((message, index) => {
    const converted = convert(message, mapId, names);
    if (converted !== message) result ??= messages.slice(0, index);
    if (result !== undefined) result.push(converted);
  });
  return result ?? messages;
}

function convert(message: ChatMessage, mapId: (id: string) => string, names: Map<string, string>): ChatMessage {
  if (message.role === 'assistant' && message.tool_calls !== undefined) {
    let changed = false;
    const calls = message.tool_calls.map((call): ToolCall => {
      const id = mapId(call.id);
      if (id === call.id) return call;
      changed = true;
      return { ...call, id };
    });
    return changed ? { ...message, tool_calls: calls } : message;
  }
  if (message.role === 'tool') {
    const id = mapId(message.tool_call_id);
    const name = typeof message.name === 'string' ? undefined : names.get(message.tool_call_id);
    if (id === message.tool_call_id && name === undefined) return message;
    return name === undefined ? { ...message, tool_call_id: id } : { ...message, tool_call_id: id, name };
  }
  return message;
}

function hashedId(id: string, salt: number): string {
  const digest = createHash('sha256').update(salt === 0 ? id : `${id}#${salt}`).digest();
  let text = '';
  for (let index = 0; index < 9; index++) text += ALPHANUMERICS[(digest[index] as number) % ALPHANUMERICS.length];
  return text;
}
