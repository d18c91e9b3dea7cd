import type { StreamEvent } from '../../core/streamEvent.js';
import { firstNonWhitespace, THINK_CLOSE_TAG, THINK_OPEN_TAG } from './splitInlineReasoning.js';

/**
 * `opening`: nothing decided yet (only whitespace or a prefix of `<think>` so far); `reasoning`: inside the block;
 * `separator`: after `</think>`, dropping the whitespace before the answer; `text`: passing content through.
 */
type Phase = 'opening' | 'reasoning' | 'separator' | 'text';

interface HeldDelta {
  text: string;
  logprobs: unknown;
}

/**
 * Splits one choice's streamed content the way `splitInlineReasoning` splits complete content: each content delta
 * goes to `push`, and `flush` runs when the choice ends. Tags may be cut anywhere between deltas; only the shortest
 * text that could still be part of a tag is held back. Once the content is known not to start with `<think>`, or the
 * answer after `</think>` has begun, each delta becomes one text event, as without the splitter.
 * A delta's logprobs go with the text event it produces; a delta that produces only reasoning loses them.
 */
export class InlineReasoningSplitter {
  private phase: Phase = 'opening';
  /** Opening: the content so far. Reasoning: a trailing piece that may be the start of `</think>`. */
  private pending = '';
  /** Opening: the deltas held so far, released one by one if the content turns out not to open with `<think>`. */
  private held: HeldDelta[] | undefined;

  constructor(private readonly choice: number) {}

  /** Appends the events for one content delta to `events`; true when some of it was answer text. */
  push(text: string, logprobs: unknown, events: StreamEvent[]): boolean {
    switch (this.phase) {
      case 'text':
        this.emitText(text, logprobs, events);
        return true;
      case 'opening':
        return this.open(text, logprobs, events);
      case 'reasoning':
        return this.reason(text, logprobs, events);
      case 'separator':
        return this.separate(text, logprobs, events);
    }
  }

  /** Appends the events for whatever is still held back at the end of the choice; true when some of it was answer text. */
  flush(events: StreamEvent[]): boolean {
    const phase = this.phase;
    this.phase = 'text';
    if (phase === 'reasoning') {
      // An unterminated block (cut by max_tokens): a held `</thi...` is reasoning too.
      this.emitReasoning(this.pending, events);
      this.pending = '';
      return false;
    }
    // Only whitespace or a partial `<think` came: content that does not open a block is left as it was.
    return phase === 'opening' && this.release(events);
  }

  private open(text: string, logprobs: unknown, events: StreamEvent[]): boolean {
    const content = this.pending + text;
    const start = firstNonWhitespace(content);
    if (start === -1 || (content.length - start < THINK_OPEN_TAG.length && THINK_OPEN_TAG.startsWith(content.slice(start)))) {
      this.pending = content;
      (this.held ??= []).push({ text, logprobs });
      return false;
    }
    this.pending = '';
    if (content.startsWith(THINK_OPEN_TAG, start)) {
      this.phase = 'reasoning';
      // The whitespace before the tag and the tag itself are framing, not content.
      this.held = undefined;
      return this.reason(content.slice(start + THINK_OPEN_TAG.length), logprobs, events);
    }
    this.phase = 'text';
    this.release(events);
    this.emitText(text, logprobs, events);
    return true;
  }

  private reason(text: string, logprobs: unknown, events: StreamEvent[]): boolean {
    const content = this.pending + text;
    const end = content.indexOf(THINK_CLOSE_TAG);
    if (end !== -1) {
      this.pending = '';
      this.emitReasoning(content.slice(0, end), events);
      this.phase = 'separator';
      return this.separate(content.slice(end + THINK_CLOSE_TAG.length), logprobs, events);
    }
    const kept = closeTagPrefixLength(content);
    this.pending = kept === 0 ? '' : content.slice(content.length - kept);
    this.emitReasoning(kept === 0 ? content : content.slice(0, content.length - kept), events);
    return false;
  }

  private separate(text: string, logprobs: unknown, events: StreamEvent[]): boolean {
    const start = firstNonWhitespace(text);
    if (start === -1) return false;
    this.phase = 'text';
    this.emitText(start === 0 ? text : text.slice(start), logprobs, events);
    return true;
  }

  /** Sends the held deltas as they came, each with its own logprobs; true when there were any. */
  private release(events: StreamEvent[]): boolean {
    const held = this.held;
    this.held = undefined;
    if (held === undefined) return false;
    for (const delta of held) this.emitText(delta.text, delta.logprobs, events);
    return true;
  }

  private emitText(text: string, logprobs: unknown, events: StreamEvent[]): void {
    if (text === '') return;
    const event: StreamEvent = { type: 'text-delta', choice: this.choice, text };
    if (logprobs !== undefined && logprobs !== null) event.logprobs = logprobs;
    events.push(event);
  }

  private emitReasoning(text: string, events: StreamEvent[]): void {
    if (text !== '') events.push({ type: 'reasoning-delta', choice: this.choice, text });
  }
}

/** Length of the longest end of `text` that could be the start of `</think>` (0 when none). */
function closeTagPrefixLength(text: string): number {
  // `</think>` has a single `<`, at its start: only the last `<` can begin a cut tag.
  const position = text.lastIndexOf('<');
  if (position === -1 || text.length - position >= THINK_CLOSE_TAG.length) return 0;
  return THINK_CLOSE_TAG.startsWith(text.slice(position)) ? text.length - position : 0;
}
