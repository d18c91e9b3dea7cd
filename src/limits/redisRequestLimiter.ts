import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuthenticatedKey } from '../auth/authenticatedKey.js';
import type { Admission, RequestLimiter } from './requestLimiter.js';
import type { RedisFailurePolicy } from './redisFailurePolicy.js';
import { RedisScript } from './redisScript.js';
import { LIMIT_WINDOW_MS, hasRateLimits, rateLimitError, rateLimitHeaders, type RateLimitCode, type RateLimitOutcome } from './rateLimitOutcome.js';
import { LIMIT_SLICE_SCRIPT } from './limitSliceScript.js';
import { unlimitedRequests } from './unlimited.js';

const CODES: readonly (RateLimitCode | undefined)[] = [undefined, 'rate_limit_exceeded', 'tokens_per_min_exceeded', 'concurrent_requests_exceeded'];

/** How long a holder's concurrency slots count without renewal: a replica that dies frees its slots after this. */
const DEFAULT_LEASE_MS = 60_000;
/** How long a slice of spare admissions may be used before it goes back to Redis. */
const DEFAULT_SLICE_MS = 1_000;
/** Most spare admissions (and concurrency slots) one instance takes for a key at once. */
const MAX_SPARE = 1_000;

const SLICE = new RedisScript(LIMIT_SLICE_SCRIPT);

export interface RedisRequestLimiterOptions {
  redis: Redis;
  /** Prefix of every key (config `redis_key_prefix`). */
  prefix: string;
  policy: RedisFailurePolicy;
  /** Counts on this instance while Redis is unreachable (`open` mode). */
  fallback: RequestLimiter;
  /** Wall-clock ms for releases, slices and lease renewals. */
  clock?: () => number;
  leaseMs?: number;
  sliceMs?: number;
  /** Counts each script call that syncs a slice (metrics). */
  onSync?: () => void;
}

interface Waiter {
  estimatedTokens: number;
  now: number;
  resolve: (admission: Admission) => void;
  reject: (error: unknown) => void;
}

/** What this instance holds of one key's limits in Redis, and what it owes back. */
interface KeySlice {
  key: AuthenticatedKey;
  redisKeys: string[];
  /** Names the spare admissions entry in the requests log; undefined when none is held. */
  spareId: string | undefined;
  spareGranted: number;
  spareUsed: number;
  lastSpareUse: number;
  /** Spare admissions and tokens may be used until then (wall-clock ms). */
  sliceEnd: number;
  spareTokens: number;
  spareTokensUsed: number;
  /** Tokens really used minus estimated, by released requests, not yet sent to Redis. */
  tokenCorrection: number;
  slotsHeld: number;
  inflight: number;
  /** Figures of the last sync, for the headers of admissions served here. */
  syncedAt: number;
  requestCount: number;
  oldestWaitMs: number;
  tokenLevel: number;
  /** Admissions and their estimates since the last sync, and the highest concurrency seen: sizes the next slice. */
  admittedSinceSync: number;
  tokensSinceSync: number;
  peakInflight: number;
  queue: Waiter[];
  syncing: boolean;
}

/**
 * Per-key limits shared by every replica through Redis, without a Redis round trip per request: each instance
 * takes a slice of every limit of a key (spare admissions, tokens and concurrency slots, sized by its own recent
 * traffic and never more than a quarter of what is left) and admits from it locally; a request the slice cannot
 * cover makes one atomic script call that gives back what the last slice left unused and takes the next. Near a
 * limit the slices shrink to the single admission asked for, so the limits hold exactly as if every request went
 * to Redis. Spare admissions are logged as used at the slice's end (never earlier than they were used), and a
 * replica that dies stops renewing its concurrency slots, which then expire.
 */
export class RedisRequestLimiter implements RequestLimiter {
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly sliceMs: number;
  private readonly holderId = randomUUID();
  private readonly slices = new Map<string, KeySlice>();
  private readonly renewTimer: NodeJS.Timeout;

  constructor(private readonly options: RedisRequestLimiterOptions) {
    this.clock = options.clock ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1, Math.min(this.sliceMs, Math.floor(this.leaseMs / 3))));
    this.renewTimer.unref();
  }

  admit(key: AuthenticatedKey, estimatedTokens: number, now: number): Admission | Promise<Admission> {
    if (!hasRateLimits(key)) return unlimitedRequests.admit(key, estimatedTokens, now);
    const slice = this.sliceOf(key);
    if (slice.queue.length === 0 && !slice.syncing) {
      const admission = this.admitLocally(slice, estimatedTokens, now);
      if (admission !== undefined) return admission;
    }
    return new Promise<Admission>((resolve, reject) => {
      slice.queue.push({ estimatedTokens, now, resolve, reject });
      this.pump(slice);
    });
  }

  /** Stops renewing and gives back everything this instance holds (at shutdown, after requests have drained). */
  async close(): Promise<void> {
    clearInterval(this.renewTimer);
    await this.flushSlices(true);
  }

  /**
   * Gives back what idle slices hold, sends pending token corrections and renews the concurrency slots of requests
   * still running (the timer calls it; tests call it by hand).
   */
  async renewLeases(): Promise<void> {
    await this.flushSlices(false);
  }

  private async flushSlices(everything: boolean): Promise<void> {
    const now = this.clock();
    const flushes: Promise<void>[] = [];
    for (const slice of this.slices.values()) {
      if (slice.syncing || slice.queue.length > 0) continue;
      const holdsNothing = slice.spareId === undefined && slice.spareTokens === 0 && slice.slotsHeld === 0;
      if (holdsNothing && slice.inflight === 0 && slice.tokenCorrection === 0) {
        this.slices.delete(slice.key.keyId);
        continue;
      }
      const sliceOver = now >= slice.sliceEnd && !holdsNothing;
      const renewSlots = slice.slotsHeld > 0 && now - slice.syncedAt >= this.leaseMs / 3;
      if (!everything && !sliceOver && !renewSlots && slice.tokenCorrection === 0) continue;
      flushes.push(
        this.sync(slice, undefined, now).then(
          () => this.pump(slice),
          (error: unknown) => {
            this.options.policy.fail('renew', error, false);
            // Admissions that queued behind the failed flush try for themselves (and meet the failure policy).
            this.pump(slice);
          },
        ),
      );
    }
    await Promise.all(flushes);
  }

  private sliceOf(key: AuthenticatedKey): KeySlice {
    let slice = this.slices.get(key.keyId);
    if (slice === undefined) {
      const base = `${this.options.prefix}limits:${key.keyId}:`;
      slice = {
        key,
        // Not `requests`: earlier versions kept a log of another shape under that name, and mixed replicas must not share it.
        redisKeys: [`${base}admissions`, `${base}state`, `${base}holders`],
        spareId: undefined,
        spareGranted: 0,
        spareUsed: 0,
        lastSpareUse: 0,
        sliceEnd: 0,
        spareTokens: 0,
        spareTokensUsed: 0,
        tokenCorrection: 0,
        slotsHeld: 0,
        inflight: 0,
        syncedAt: 0,
        requestCount: 0,
        oldestWaitMs: 0,
        tokenLevel: 0,
        admittedSinceSync: 0,
        tokensSinceSync: 0,
        peakInflight: 0,
        queue: [],
        syncing: false,
      };
      this.slices.set(key.keyId, slice);
    } else if (!sameLimits(slice.key, key)) {
      // Changed limits: nothing spare may be used under the old ones; the next admission syncs.
      slice.key = key;
      slice.sliceEnd = 0;
    }
    return slice;
  }

  /** An admission out of the slice this instance holds, or undefined when the slice cannot cover it. */
  private admitLocally(slice: KeySlice, estimatedTokens: number, now: number): Admission | undefined {
    const { key } = slice;
    if (now >= slice.sliceEnd) return undefined;
    if (key.rateLimitRpm !== null && slice.spareUsed >= slice.spareGranted) return undefined;
    if (key.tokensPerMinute !== null && slice.spareTokensUsed + estimatedTokens > slice.spareTokens) return undefined;
    if (key.maxConcurrent !== null && slice.inflight >= slice.slotsHeld) return undefined;
    if (key.rateLimitRpm !== null) {
      slice.spareUsed++;
      slice.lastSpareUse = now;
    }
    if (key.tokensPerMinute !== null) slice.spareTokensUsed += estimatedTokens;
    const elapsed = now - slice.syncedAt;
    return this.admitted(slice, estimatedTokens, {
      admitted: true,
      code: undefined,
      retryAfterMs: 0,
      requests: key.rateLimitRpm === null ? undefined : { remaining: key.rateLimitRpm - slice.requestCount + (slice.spareGranted - slice.spareUsed), resetMs: Math.max(0, slice.oldestWaitMs - elapsed) },
      tokens: tokenState(key, slice.tokenLevel - (slice.spareTokens - slice.spareTokensUsed)),
    });
  }

  private admitted(slice: KeySlice, estimatedTokens: number, outcome: RateLimitOutcome): Admission {
    slice.inflight++;
    slice.admittedSinceSync++;
    slice.tokensSinceSync += estimatedTokens;
    if (slice.inflight > slice.peakInflight) slice.peakInflight = slice.inflight;
    let released = false;
    return {
      headers: rateLimitHeaders(slice.key, outcome),
      release: (usedTokens: number) => {
        if (released) return;
        released = true;
        slice.inflight--;
        if (slice.key.tokensPerMinute !== null) slice.tokenCorrection += usedTokens - estimatedTokens;
        if (slice.queue.length > 0) this.pump(slice);
      },
    };
  }

  /** Serves queued admissions from the slice in order; when the slice runs out, syncs once for all of them. */
  private pump(slice: KeySlice): void {
    if (slice.syncing) return;
    while (slice.queue.length > 0) {
      const head = slice.queue[0] as Waiter;
      const admission = this.admitLocally(slice, head.estimatedTokens, head.now);
      if (admission === undefined) break;
      slice.queue.shift();
      head.resolve(admission);
    }
    const head = slice.queue[0];
    if (head === undefined) return;
    this.sync(slice, head, head.now).then(
      (outcome) => {
        if (outcome !== undefined) this.settleQueue(slice, head, outcome);
        this.pump(slice);
      },
      (error: unknown) => this.failQueue(slice, error),
    );
  }

  /** After a sync for `head`: admits it out of the new slice, or refuses it and every waiter the same limit refuses. */
  private settleQueue(slice: KeySlice, head: Waiter, outcome: RateLimitOutcome): void {
    if (slice.queue[0] !== head) return;
    if (outcome.admitted) {
      slice.queue.shift();
      head.resolve(this.admitted(slice, head.estimatedTokens, outcome));
      return;
    }
    const error = rateLimitError(slice.key, outcome);
    // Requests and concurrency refuse every waiter alike; tokens only those asking at least as much.
    const refuses = (waiter: Waiter) => outcome.code !== 'tokens_per_min_exceeded' || waiter.estimatedTokens >= head.estimatedTokens;
    const refused = slice.queue.filter(refuses);
    slice.queue = slice.queue.filter((waiter) => !refuses(waiter));
    for (const waiter of refused) waiter.reject(error);
  }

  /** Redis failed: every waiter follows `limits.on_redis_failure` (this instance's own counts, or a 503). */
  private failQueue(slice: KeySlice, error: unknown): void {
    const waiters = slice.queue;
    slice.queue = [];
    for (const waiter of waiters) {
      try {
        this.options.policy.fail('admit', error, true);
        Promise.resolve(this.options.fallback.admit(slice.key, waiter.estimatedTokens, waiter.now)).then(waiter.resolve, waiter.reject);
      } catch (refusal) {
        waiter.reject(refusal);
      }
    }
  }

  /**
   * One script call: gives back the unused part of the last slice (and token corrections) and, for `head`, checks
   * every limit and takes the next slice. Resolves to head's outcome (undefined for a flush without a request).
   */
  private async sync(slice: KeySlice, head: Waiter | undefined, now: number): Promise<RateLimitOutcome | undefined> {
    slice.syncing = true;
    const { key } = slice;
    const spareId = slice.spareId;
    const spareGranted = slice.spareGranted;
    const spareUsed = slice.spareUsed;
    const sentCorrection = slice.tokenCorrection;
    const tokenDelta = sentCorrection - (slice.spareTokens - slice.spareTokensUsed);
    const inflight = slice.inflight;
    const wanted = head === undefined ? 0 : this.wantedSpare(slice);
    const averageTokens = slice.admittedSinceSync > 0 ? slice.tokensSinceSync / slice.admittedSinceSync : (head?.estimatedTokens ?? 0);
    const nextId = randomUUID();
    const sliceEnd = now + this.sliceMs;
    let reply: number[];
    this.options.onSync?.();
    try {
      reply = (await SLICE.run(this.options.redis, slice.redisKeys, [
        now,
        key.rateLimitRpm ?? -1,
        key.tokensPerMinute ?? -1,
        key.maxConcurrent ?? -1,
        this.holderId,
        spareId ?? '',
        spareGranted,
        spareUsed,
        slice.lastSpareUse + LIMIT_WINDOW_MS,
        head === undefined ? 0 : 1,
        nextId,
        wanted,
        sliceEnd + LIMIT_WINDOW_MS,
        tokenDelta,
        head?.estimatedTokens ?? 0,
        Math.ceil(wanted * averageTokens),
        inflight,
        head === undefined ? 0 : Math.min(MAX_SPARE, Math.max(slice.queue.length - 1, slice.peakInflight)),
        now + this.leaseMs,
        2 * this.leaseMs,
      ])) as number[];
    } finally {
      slice.syncing = false;
    }
    const [codeIndex = 0, retryMs = 0, count = 0, oldestWaitMs = 0, level = 0, spare = 0, spareTokens = 0, slots = 0] = reply;
    // Corrections of releases while the script ran are still owed.
    slice.tokenCorrection -= sentCorrection;
    slice.spareId = spare > 0 ? nextId : undefined;
    slice.spareGranted = spare;
    slice.spareUsed = 0;
    slice.spareTokens = spareTokens;
    slice.spareTokensUsed = 0;
    slice.sliceEnd = sliceEnd;
    // No admission runs while a sync is pending (releases may): what Redis now holds for this instance.
    slice.slotsHeld = slots;
    slice.syncedAt = now;
    slice.requestCount = count;
    slice.oldestWaitMs = oldestWaitMs;
    slice.tokenLevel = level;
    slice.admittedSinceSync = 0;
    slice.tokensSinceSync = 0;
    slice.peakInflight = slice.inflight;
    if (head === undefined) return undefined;
    const code = CODES[codeIndex];
    return {
      admitted: code === undefined,
      code,
      retryAfterMs: retryMs,
      requests: key.rateLimitRpm === null ? undefined : { remaining: key.rateLimitRpm - count + spare, resetMs: oldestWaitMs },
      tokens: tokenState(key, level - spareTokens),
    };
  }

  /** Spare admissions to ask for beyond the one waiting: the queue behind it, or the pace since the last sync. */
  private wantedSpare(slice: KeySlice): number {
    const elapsed = Math.max(1, this.clock() - slice.syncedAt);
    const pace = slice.syncedAt === 0 ? 0 : Math.ceil((slice.admittedSinceSync * this.sliceMs) / elapsed);
    return Math.min(MAX_SPARE, Math.max(slice.queue.length - 1, pace));
  }
}

function sameLimits(a: AuthenticatedKey, b: AuthenticatedKey): boolean {
  return a.rateLimitRpm === b.rateLimitRpm && a.tokensPerMinute === b.tokensPerMinute && a.maxConcurrent === b.maxConcurrent;
}

function tokenState(key: AuthenticatedKey, level: number): RateLimitOutcome['tokens'] {
  if (key.tokensPerMinute === null) return undefined;
  const counted = Math.max(0, level);
  return { remaining: key.tokensPerMinute - counted, resetMs: (counted * LIMIT_WINDOW_MS) / key.tokensPerMinute };
}
