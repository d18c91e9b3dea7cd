import type { ChatMessage } from '../../core/chatMessage.js';

/**
 * For hosts without a `json_schema` mode: a system message that states the schema, placed after the leading
 * system messages (where instructions go, and the word "JSON" that json_object mode demands is in it).
 */
export function addSchemaInstruction(messages: ChatMessage[], name: string, schema: Record<string, unknown> | undefined): ChatMessage[] {
  const text =
    schema === undefined
      ? `Respond with a single JSON object (named "${name}").`
      : `Respond with a single JSON object (named "${name}") that conforms to this JSON Schema:\n${JSON.stringify(schema)}`;
  let position = 0;
  while (position < messages.length && (messages[position]?.role === 'system' || messages[position]?.role === 'developer')) position++;
  return [...messages.slice(0, position), { role: 'system', content: text }, ...messages.slice(position)];
}
