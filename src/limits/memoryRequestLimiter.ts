import type { AuthenticatedKey } from '../auth/authenticatedKey.js';
import { unlimitedRequests } from './unlimited.js';
import type { Admission, RequestLimiter } from './requestLimiter.js';
import {
  CONCURRENCY_RETRY_MS,
  LIMIT_WINDOW_MS,
  hasRateLimits,
  rateLimitError,
  rateLimitHeaders,
  type RateLimitCode,
  type RateLimitOutcome,
  type WindowState,
} from './rateLimitOutcome.js';

/** Admission times of the requests inside the window, oldest first (a queue: `head` skips the expired ones). */
class RequestLog {
  private times: number[] = [];
  private head = 0;

  count(now: number): number {
    const from = now - LIMIT_WINDOW_MS;
    while (this.head < this.times.length && (this.times[this.head] as number) <= from) this.head++;
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** ms until the oldest counted request leaves the window (0 when none is counted). */
  untilOldestLeaves(now: number): number {
    const oldest = this.times[this.head];
    return oldest === undefined ? 0 : Math.max(0, oldest + LIMIT_WINDOW_MS - now);
  }

  add(now: number): void {
    this.times.push(now);
  }
}

/** Tokens used, draining at `limit` per minute (a token bucket kept as its fill level). */
class TokenBucket {
  private level = 0;
  private at = 0;

  constructor(private readonly limit: number) {}

  levelAt(now: number): number {
    const drained = ((now - this.at) * this.limit) / LIMIT_WINDOW_MS;
    return Math.max(0, this.level - Math.max(0, drained));
  }

  set(level: number, now: number): void {
    this.level = Math.max(0, level);
    this.at = now;
  }

  untilEmpty(level: number): number {
    return (level * LIMIT_WINDOW_MS) / this.limit;
  }
}

interface KeyState {
  requests: RequestLog;
  tokens: TokenBucket | undefined;
  tokenLimit: number | null;
  inflight: number;
}

/**
 * Per-key limits for one gateway instance, in memory.
 * Requests per minute: a sliding-window log, exact (never more than the limit in any 60 s) with memory bounded by
 * the limit. Tokens per minute: a token bucket (GCRA's weighted form) charged with the estimate at admission and
 * corrected by the real count at release, O(1) per key. Concurrency: a counter freed at release.
 */
export class MemoryRequestLimiter implements RequestLimiter {
  private readonly keys = new Map<string, KeyState>();

  /** `clock` (wall-clock ms) times releases; admissions use the `now` they are given. */
  constructor(private readonly clock: () => number = Date.now) {}

  admit(key: AuthenticatedKey, estimatedTokens: number, now: number): Admission {
    if (!hasRateLimits(key)) return unlimitedRequests.admit(key, estimatedTokens, now) as Admission;
    const state = this.stateOf(key);
    const outcome = this.check(key, state, estimatedTokens, now);
    if (!outcome.admitted) throw rateLimitError(key, outcome);
    if (key.rateLimitRpm !== null) state.requests.add(now);
    if (state.tokens !== undefined) state.tokens.set(state.tokens.levelAt(now) + estimatedTokens, now);
    state.inflight++;
    let released = false;
    return {
      headers: rateLimitHeaders(key, outcome),
      release: (usedTokens: number) => {
        if (released) return;
        released = true;
        state.inflight--;
        if (state.tokens !== undefined) {
          const at = this.clock();
          state.tokens.set(state.tokens.levelAt(at) + usedTokens - estimatedTokens, at);
        }
      },
    };
  }

  private stateOf(key: AuthenticatedKey): KeyState {
    let state = this.keys.get(key.keyId);
    if (state === undefined || state.tokenLimit !== key.tokensPerMinute) {
      // A changed token limit starts a new bucket; the request log and in-flight count carry over.
      state = {
        requests: state?.requests ?? new RequestLog(),
        tokens: key.tokensPerMinute === null ? undefined : new TokenBucket(key.tokensPerMinute),
        tokenLimit: key.tokensPerMinute,
        inflight: state?.inflight ?? 0,
      };
      this.keys.set(key.keyId, state);
    }
    return state;
  }

  private check(key: AuthenticatedKey, state: KeyState, estimatedTokens: number, now: number): RateLimitOutcome {
    let code: RateLimitCode | undefined;
    let retryAfterMs = 0;
    const refuse = (refusal: RateLimitCode, waitMs: number) => {
      code ??= refusal;
      retryAfterMs = Math.max(retryAfterMs, waitMs);
    };

    const requestCount = key.rateLimitRpm === null ? 0 : state.requests.count(now);
    if (key.rateLimitRpm !== null && requestCount >= key.rateLimitRpm) refuse('rate_limit_exceeded', state.requests.untilOldestLeaves(now));

    const tokenLevel = state.tokens === undefined ? 0 : state.tokens.levelAt(now);
    if (key.tokensPerMinute !== null) {
      const limit = key.tokensPerMinute;
      // A request larger than the whole limit is let through once the bucket is empty, or it could never run.
      const needed = Math.min(estimatedTokens, limit);
      if (tokenLevel + needed > limit) refuse('tokens_per_min_exceeded', ((tokenLevel + needed - limit) * LIMIT_WINDOW_MS) / limit);
    }

    if (key.maxConcurrent !== null && state.inflight >= key.maxConcurrent) refuse('concurrent_requests_exceeded', CONCURRENCY_RETRY_MS);

    const admitted = code === undefined;
    let requests: WindowState | undefined;
    if (key.rateLimitRpm !== null) {
      const counted = requestCount + (admitted ? 1 : 0);
      const resetMs = requestCount === 0 ? (admitted ? LIMIT_WINDOW_MS : 0) : state.requests.untilOldestLeaves(now);
      requests = { remaining: key.rateLimitRpm - counted, resetMs };
    }
    let tokens: WindowState | undefined;
    if (key.tokensPerMinute !== null && state.tokens !== undefined) {
      const level = tokenLevel + (admitted ? estimatedTokens : 0);
      tokens = { remaining: key.tokensPerMinute - level, resetMs: state.tokens.untilEmpty(level) };
    }
    return { admitted, code, retryAfterMs, requests, tokens };
  }
}
