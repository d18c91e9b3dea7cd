import type { Logger } from 'pino';
import { GatewayError } from '../core/gatewayError.js';

/** What to do when Redis, which holds the shared limits and budgets, cannot be reached (config `limits.on_redis_failure`). */
export type RedisFailureMode = 'open' | 'closed';

/** Seconds a refused caller is asked to wait when the limit store is down in `closed` mode. */
const UNAVAILABLE_RETRY_SECONDS = 5;
/** At most one log line per operation in this interval; the metric counts every failure. */
const LOG_INTERVAL_MS = 10_000;

export interface RedisFailureCounter {
  countLimitsRedisFailure(operation: string): void;
}

/**
 * Decides, in one place, what a Redis failure of the limiter or the budget guard means for the request.
 * `open` (default): log, count, and let the caller fall back to this instance's own in-memory counts, so an outage
 * of Redis degrades limits to per-replica instead of taking the API down. `closed`: refuse with 503
 * `model_unavailable`, the contract's generic retryable "cannot serve right now" code (`no_provider_available`
 * would send operators looking at providers, and `internal_error` is a non-retryable 500 that suggests a bug).
 */
export class RedisFailurePolicy {
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    readonly mode: RedisFailureMode,
    private readonly logger: Logger,
    private readonly counter: RedisFailureCounter,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records a failed Redis call; for a request-path operation in `closed` mode, throws the 503 to answer with. */
  fail(operation: string, error: unknown, onRequestPath: boolean): void {
    this.counter.countLimitsRedisFailure(operation);
    const now = this.clock();
    const last = this.lastLogged.get(operation);
    if (last === undefined || now - last >= LOG_INTERVAL_MS) {
      const suppressed = this.suppressed.get(operation) ?? 0;
      this.lastLogged.set(operation, now);
      this.suppressed.set(operation, 0);
      const action = !onRequestPath ? 'ignored (the entry expires on its own)' : this.mode === 'open' ? 'counting on this instance only' : 'refusing requests';
      this.logger.warn({ err: error, operation, suppressed }, `limits: Redis unreachable, ${action}`);
    } else {
      this.suppressed.set(operation, (this.suppressed.get(operation) ?? 0) + 1);
    }
    if (onRequestPath && this.mode === 'closed') {
      throw new GatewayError(
        503,
        'model_unavailable',
        'Rate limits and budgets cannot be checked right now (the shared limit store is unreachable); try again shortly.',
        { retryable: true, fallback: false, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS, cause: error },
      );
    }
  }
}
