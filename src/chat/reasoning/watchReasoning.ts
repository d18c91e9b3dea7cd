import type { ChatRequest } from '../../core/chatRequest.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage, StreamDecoder } from '../../providers/adapter.js';
import type { ReasoningMemory } from './reasoningMemory.js';
import { StreamReasoningCollector } from './streamReasoningCollector.js';

/**
 * A stream decoder that also remembers the reasoning beside the answer's tool calls once the upstream stream has
 * ended without an error (the decoder's `end()`); a stream cut short or abandoned is not remembered. A request
 * without tools cannot get tool calls, so its decoder is returned as is.
 */
export function watchReasoning(decoder: StreamDecoder, request: ChatRequest, memory: ReasoningMemory, scope: string): StreamDecoder {
  const tools = request.params.tools;
  if (tools === undefined || tools.length === 0) return decoder;
  return new ReasoningWatchingDecoder(decoder, memory, scope);
}

class ReasoningWatchingDecoder implements StreamDecoder {
  private readonly collector = new StreamReasoningCollector();

  constructor(
    private readonly inner: StreamDecoder,
    private readonly memory: ReasoningMemory,
    private readonly scope: string,
  ) {}

  decode(message: SseMessage): StreamEvent[] {
    const events = this.inner.decode(message);
    this.collector.observe(events);
    return events;
  }

  end(): StreamEvent[] {
    const events = this.inner.end();
    this.collector.observe(events);
    for (const reasoning of this.collector.finish()) this.memory.remember(this.scope, reasoning);
    return events;
  }
}
