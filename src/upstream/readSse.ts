import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { SseMessage } from '../providers/adapter.js';

/** An incremental SSE reader: feed text as it arrives, get whole messages back (spec-compliant line endings, comments ignored). */
export class SseReader {
  private pending: SseMessage[] = [];
  private readonly parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      this.pending.push({ event: message.event, data: message.data });
    },
  });

  feed(text: string): SseMessage[] {
    this.parser.feed(text);
    if (this.pending.length === 0) return EMPTY;
    const messages = this.pending;
    this.pending = [];
    return messages;
  }
}

const EMPTY: SseMessage[] = [];
