import type { StreamEvent } from '../core/streamEvent.js';
import type { StreamDecoder } from '../providers/adapter.js';
import { SseReader } from '../upstream/readSse.js';
import { toUpstreamError } from '../upstream/toUpstreamError.js';
import type { UpstreamBody } from '../upstream/upstreamTransport.js';

/** An upstream SSE body read chunk by chunk and decoded into stream events. */
export class UpstreamEventStream {
  private readonly iterator: AsyncIterator<Buffer | string>;
  private readonly reader = new SseReader();
  private ended = false;

  constructor(private readonly body: UpstreamBody, private readonly decoder: StreamDecoder) {
    body.setEncoding('utf8');
    this.iterator = body[Symbol.asyncIterator]();
  }

  /** The events of the next upstream chunk (possibly none); null once the stream is over. */
  async next(): Promise<StreamEvent[] | null> {
    if (this.ended) return null;
    let step: IteratorResult<Buffer | string>;
    try {
      step = await this.iterator.next();
    } catch (error) {
      this.ended = true;
      return [{ type: 'error', error: toUpstreamError(error) }];
    }
    if (step.done === true) {
      this.ended = true;
      return this.decoder.end();
    }
    const messages = this.reader.feed(typeof step.value === 'string' ? step.value : step.value.toString('utf8'));
    if (messages.length === 0) return NO_EVENTS;
    if (messages.length === 1) return this.decoder.decode(messages[0] as (typeof messages)[number]);
    const events: StreamEvent[] = [];
    for (const message of messages) {
      for (const event of this.decoder.decode(message)) events.push(event);
    }
    return events;
  }

  /** Stops reading and releases the upstream connection. */
  cancel(): void {
    this.ended = true;
    this.body.destroy();
  }
}

const NO_EVENTS: StreamEvent[] = [];
