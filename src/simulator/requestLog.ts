import type { IncomingHttpHeaders } from 'node:http';

/** One request as the simulator saw it; `completed`/`aborted` are updated while the response runs. */
export interface RecordedRequest {
  /** Same value as the response's request-id header (`x-request-id` for OpenAI, `request-id` for Anthropic). */
  id: string;
  /** Profile id (`default` without a `/p/<id>` prefix), undefined when the path names no known profile. */
  profile: string | undefined;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, undefined when empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** Date.now() when the body had been read. */
  receivedAt: number;
  /** HTTP status sent, undefined while none was sent (or never, after a reset). */
  status: number | undefined;
  /** The response was fully written. */
  completed: boolean;
  /** The client closed the connection before the response was fully written. */
  aborted: boolean;
}

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Keeps recorded requests and resolves `waitFor` calls whenever a record appears or changes. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly keep: boolean) {}

  /** Whether records are needed at all, so the benchmark path can skip building them. */
  get active(): boolean {
    return this.keep || this.waiters.size > 0;
  }

  add(request: RecordedRequest): void {
    if (this.keep) this.requests.push(request);
    this.changed(request);
  }

  /** Re-checks waiters after a record's state (status, completed, aborted) changed. */
  changed(request: RecordedRequest): void {
    for (const waiter of this.waiters) {
      let matched: boolean;
      try {
        matched = waiter.predicate(request);
      } catch (error) {
        this.settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched) {
        this.settle(waiter);
        waiter.resolve(request);
      }
    }
  }

  clear(): void {
    this.requests.length = 0;
  }

  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs: number): Promise<RecordedRequest> {
    const existing = this.requests.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`waitForRequest: no matching request within ${timeoutMs} ms (${this.requests.length} recorded).`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  rejectWaiters(reason: string): void {
    for (const waiter of this.waiters) {
      this.settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  private settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}
