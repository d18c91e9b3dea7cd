import { StringDecoder } from 'node:string_decoder';
import { util, type Dispatcher } from 'undici';
import type { CancelSignal } from '../core/cancelSignal.js';
import type { ResponseHeaders } from '../providers/adapter.js';
import type { UpstreamBody, UpstreamResponse } from './upstreamTransport.js';

/** Bytes queued ahead of the reader before undici is asked to stop reading the socket. */
const HIGH_WATER_BYTES = 64 * 1024;

type Chunk = Buffer | string;
const ABORTED = 'The request was aborted.';

/**
 * One upstream exchange driven by undici's dispatch handler callbacks, with the response body as a plain chunk
 * queue: undici's `request()` wraps every body in a Node Readable, whose bookkeeping costs more per request than
 * the gateway's own translation.
 */
export class DispatchedResponse implements Dispatcher.DispatchHandler, UpstreamBody {
  /** Settles once the status line and headers arrived, or the exchange failed before them. */
  readonly started: Promise<UpstreamResponse>;
  private resolveStarted!: (response: UpstreamResponse) => void;
  private rejectStarted!: (error: Error) => void;
  private headersReceived = false;

  private abortRequest: ((error?: Error) => void) | undefined;
  private abortedWith: Error | undefined;
  private resumeReading: (() => void) | undefined;
  private paused = false;

  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private decoder: StringDecoder | undefined;
  private decoderEnded = false;
  private completed = false;
  private failure: Error | undefined;
  private waiting: { resolve: (step: IteratorResult<Chunk>) => void; reject: (error: Error) => void } | undefined;
  private collecting: { resolve: (text: string) => void; reject: (error: Error) => void } | undefined;
  private readonly onSignalAbort = (): void => {
    this.destroy(this.signal.reason instanceof Error ? this.signal.reason : new Error(ABORTED));
  };

  constructor(private readonly signal: CancelSignal) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    if (signal.aborted) this.abortedWith = signal.reason instanceof Error ? signal.reason : new Error(ABORTED);
    else signal.once('abort', this.onSignalAbort);
  }

  // --- undici's handler side ---

  onConnect(abort: (error?: Error) => void): void {
    // A signal that fired while the request waited for a connection aborts it as soon as undici allows.
    if (this.abortedWith !== undefined) abort(this.abortedWith);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // Informational (1xx) answers are not the response.
    if (statusCode < 200) return true;
    this.resumeReading = resume;
    this.headersReceived = true;
    this.resolveStarted({ status: statusCode, headers: util.parseHeaders(rawHeaders) as ResponseHeaders, body: this });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.failure !== undefined) return true;
    const waiting = this.waiting;
    if (waiting !== undefined && this.queue.length === 0) {
      this.waiting = undefined;
      waiting.resolve({ value: this.decode(chunk), done: false });
      return true;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    // While text() collects there is no reader to wait for: keep reading.
    if (this.collecting !== undefined || this.queuedBytes < HIGH_WATER_BYTES) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.completed = true;
    this.signal.off('abort', this.onSignalAbort);
    if (this.collecting !== undefined) {
      const collecting = this.collecting;
      this.collecting = undefined;
      collecting.resolve(this.drainText());
      return;
    }
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.resolve(this.finalStep());
    }
  }

  onError(error: Error): void {
    this.signal.off('abort', this.onSignalAbort);
    if (!this.headersReceived) {
      this.rejectStarted(error);
      return;
    }
    this.fail(error);
  }

  // --- the body's side ---

  setEncoding(encoding: BufferEncoding): this {
    this.decoder = new StringDecoder(encoding);
    return this;
  }

  text(): Promise<string> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.completed) return Promise.resolve(this.drainText());
    return new Promise((resolve, reject) => {
      this.collecting = { resolve, reject };
      this.resumeIfPaused();
    });
  }

  next(): Promise<IteratorResult<Chunk>> {
    if (this.queue.length > 0) {
      const value = this.queue.length === 1 ? (this.queue[0] as Buffer) : Buffer.concat(this.queue);
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.resumeIfPaused();
      return Promise.resolve({ value: this.decode(value), done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.completed) return Promise.resolve(this.finalStep());
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Chunk>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Chunk> {
    return this;
  }

  /** Stops the exchange (releasing or closing the connection); a pending read rejects with `error`. */
  destroy(error?: Error): this {
    if (this.completed || this.failure !== undefined) return this;
    const reason = error ?? new Error('The upstream response was discarded.');
    if (this.abortRequest !== undefined) this.abortRequest(reason);
    else this.abortedWith = reason;
    // undici reports the abort through onError; a request not yet connected never will, so settle here too.
    if (!this.headersReceived) {
      this.signal.off('abort', this.onSignalAbort);
      this.rejectStarted(reason);
    } else {
      this.fail(reason);
    }
    return this;
  }

  private fail(error: Error): void {
    if (this.completed || this.failure !== undefined) return;
    this.signal.off('abort', this.onSignalAbort);
    this.failure = error;
    this.queue.length = 0;
    this.queuedBytes = 0;
    const waiting = this.waiting;
    const collecting = this.collecting;
    this.waiting = undefined;
    this.collecting = undefined;
    waiting?.reject(error);
    collecting?.reject(error);
  }

  private resumeIfPaused(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumeReading?.();
  }

  private decode(chunk: Buffer): Chunk {
    return this.decoder === undefined ? chunk : this.decoder.write(chunk);
  }

  /** After the last chunk: what a decoder still holds (an incomplete character at the very end), then done. */
  private finalStep(): IteratorResult<Chunk> {
    if (this.decoder !== undefined && !this.decoderEnded) {
      this.decoderEnded = true;
      const rest = this.decoder.end();
      if (rest !== '') return { value: rest, done: false };
    }
    return { value: undefined, done: true };
  }

  private drainText(): string {
    const text = this.queue.length === 0 ? '' : this.queue.length === 1 ? (this.queue[0] as Buffer).toString('utf8') : Buffer.concat(this.queue).toString('utf8');
    this.queue.length = 0;
    this.queuedBytes = 0;
    return text;
  }
}
