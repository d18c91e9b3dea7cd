import { EventEmitter } from 'node:events';

/**
 * A request's abort signal. undici takes any EventEmitter that emits 'abort'; an AbortController with its
 * EventTarget costs several times more per request, and every request needs one.
 */
export class CancelSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** What code that only watches a signal needs (a CancelSignal or an AbortSignal). */
export interface SignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
}
