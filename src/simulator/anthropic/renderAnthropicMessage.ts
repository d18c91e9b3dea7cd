import { renderAnthropicUsage, type SimulatedMessage } from './simulatedMessage.js';

/** The non-streamed `Message`, with Anthropic's key order. */
export function renderAnthropicMessage(message: SimulatedMessage): string {
  const content: Record<string, unknown>[] = [];
  if (message.thinking !== undefined) content.push({ type: 'thinking', thinking: message.thinking.tokens.join(''), signature: message.thinking.signature });
  if (message.text.length > 0) content.push({ type: 'text', text: message.text.join('') });
  for (const use of message.toolUses) content.push({ type: 'tool_use', id: use.id, name: use.name, input: use.input });
  return JSON.stringify({
    id: message.id,
    type: 'message',
    role: 'assistant',
    model: message.model,
    content,
    stop_reason: message.stopReason,
    stop_sequence: message.stopSequence,
    usage: renderAnthropicUsage(message.usage),
  });
}
