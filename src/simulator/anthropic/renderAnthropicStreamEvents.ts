import { groupTokens, type StreamEvent, type StreamEventKind } from '../renderStreamEvents.js';
import { renderAnthropicDeltaUsage, renderAnthropicUsage, type SimulatedMessage } from './simulatedMessage.js';

function sse(type: string, data: Record<string, unknown>, kind: StreamEventKind, tokens = 0): StreamEvent {
  return { text: `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`, kind, choice: 0, tokens };
}

/**
 * The named-event SSE sequence of a Message (providers reference §3.6): message_start, each content block as
 * start / deltas / stop (a ping after the first start), message_delta with the stop reason and cumulative usage,
 * message_stop. Only deltas are `generated` events, the ones pacing and faults count.
 */
export function renderAnthropicStreamEvents(message: SimulatedMessage, chunkCount: number | undefined): StreamEvent[] {
  const events: StreamEvent[] = [];
  events.push(
    sse('message_start', {
      message: {
        id: message.id, type: 'message', role: 'assistant', model: message.model, content: [], stop_reason: null, stop_sequence: null,
        usage: renderAnthropicUsage({ ...message.usage, thinking: undefined }, 1),
      },
    }, 'role'),
  );
  let index = 0;
  const start = (contentBlock: Record<string, unknown>): void => {
    events.push(sse('content_block_start', { index, content_block: contentBlock }, 'framing'));
    if (index === 0) events.push(sse('ping', {}, 'framing'));
  };
  const stop = (): void => {
    events.push(sse('content_block_stop', { index }, 'framing'));
    index++;
  };

  if (message.thinking !== undefined) {
    start({ type: 'thinking', thinking: '', signature: '' });
    for (const token of message.thinking.tokens) events.push(sse('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: token } }, 'generated', 1));
    events.push(sse('content_block_delta', { index, delta: { type: 'signature_delta', signature: message.thinking.signature } }, 'framing'));
    stop();
  }
  if (message.text.length > 0) {
    start({ type: 'text', text: '' });
    for (const group of groupTokens(message.text, chunkCount)) {
      events.push(sse('content_block_delta', { index, delta: { type: 'text_delta', text: group.join('') } }, 'generated', group.length));
    }
    stop();
  }
  for (const use of message.toolUses) {
    start({ type: 'tool_use', id: use.id, name: use.name, input: {} });
    // Anthropic opens every tool input with an empty fragment.
    events.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } }, 'generated', 1));
    for (const fragment of use.fragments) {
      events.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: fragment } }, 'generated', Math.ceil(fragment.length / 4)));
    }
    stop();
  }
  if (index === 0) events.push(sse('ping', {}, 'framing'));
  events.push(sse('message_delta', { delta: { stop_reason: message.stopReason, stop_sequence: message.stopSequence }, usage: renderAnthropicDeltaUsage(message.usage) }, 'finish'));
  events.push(sse('message_stop', {}, 'done'));
  return events;
}
