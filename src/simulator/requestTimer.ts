/** The one pending timer of a request's response, so an abort or close can stop generation at once. */
export class RequestTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  get cancelled(): boolean {
    return this.stopped;
  }

  /** Runs `callback` after `delayMs` (synchronously when the delay is not positive), unless cancelled. */
  later(delayMs: number, callback: () => void): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      callback();
      return;
    }
    this.handle = setTimeout(() => {
      this.handle = undefined;
      if (!this.stopped) callback();
    }, delayMs);
  }

  cancel(): void {
    this.stopped = true;
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
}
