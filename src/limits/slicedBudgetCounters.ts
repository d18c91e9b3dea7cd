import { randomUUID } from 'node:crypto';
import type { BudgetCounters, BudgetWindow, ReserveRequest, ReserveResult, SettleRequest } from './budgetCounters.js';
import type { BudgetSliceStore, SliceSyncResult } from './budgetSliceStore.js';

/** How often settled cost is pushed, idle slices go back and live ones are renewed. */
const DEFAULT_FLUSH_INTERVAL_MS = 250;
/** How long the shared counters keep a slice nobody renews (its instance died) before charging it in full. */
const DEFAULT_SLICE_TTL_MS = 30_000;
/** Demand is what was reserved in the last this-long (a sliding window over two buckets). */
const DEMAND_PERIOD_MS = 1_000;
/** A slice nothing was reserved from for this long is idle: it goes back but for what in-flight reservations hold. */
const IDLE_AFTER_MS = 500;
/**
 * Beyond the reservation waiting, a slice never asks for more than this fraction (1/n) of an enforced window's limit
 * (Redis grants at most that of what is left of it anyway). Without an enforced window the demand alone sizes it.
 */
const LIMIT_SHARE = 4;

export interface SlicedBudgetCountersOptions {
  /** Wall-clock ms, for flushes (reservations and settlements bring their own `now`). */
  clock?: () => number;
  /** 0: no timer (tests call `flushDue` by hand). */
  flushIntervalMs?: number;
  sliceTtlMs?: number;
  /** A timer's flush failed; what it did not push stays pending for the next sync. */
  onFlushError?: (error: unknown) => void;
  /** Counts each sync with the shared counters (metrics). */
  onSync?: () => void;
}

interface Hold {
  amount: number;
  expiresAt: number;
}

interface Waiter {
  request: ReserveRequest;
  amount: number;
  resolve: (result: ReserveResult) => void;
  reject: (error: unknown) => void;
}

/** This instance's slice of one set of windows (a key's budgets and the global ones, in their current periods). */
interface WindowsSlice {
  /** The windows' counter names, joined. */
  key: string;
  /** The latest windows seen, whose limits the next sync applies. */
  windows: readonly BudgetWindow[];
  sliceId: string;
  /** What the shared counters reserve for this slice, as of the last sync. */
  granted: number;
  /** Least room left for this instance in an enforced window as of the last sync (Infinity: none enforced). */
  headroom: number;
  /** What the in-flight reservations hold (the sum of `holds`). */
  held: number;
  /** By reservation id, in order of expiry (every reservation gets the same TTL). */
  holds: Map<string, Hold>;
  /** Cost settled out of the slice and not yet pushed to the shared counters' spent. */
  settledPending: number;
  /** Spent per window as of the last sync. */
  spent: number[];
  /** Nothing is served from the slice from then on until a sync renews it (well before it expires in Redis). */
  deadline: number;
  /** The last sync failed or the limits changed: serve nothing locally until the next sync. */
  stale: boolean;
  /** Amounts reserved in the current demand bucket and in the one before: they size the next slice. */
  demandSince: number;
  demand: number;
  previousDemand: number;
  lastReservedAt: number;
  queue: Waiter[];
  /** The sync in flight (never rejects); no reservation is served locally meanwhile. */
  syncing: Promise<void> | undefined;
}

/**
 * Budget counters that make no shared-counter call for a reservation in steady state: this instance reserves a
 * slice of every set of windows in the shared counters (Redis) and serves reservations out of it; settlements are
 * added up locally. A reservation the slice cannot cover makes one atomic sync, shared by every reservation that
 * arrives meanwhile: it pushes the settled cost, gives back the old slice and takes a new one of what in-flight
 * reservations hold plus min(twice the recent demand, ¼ of what is left), so near a limit slices shrink to the one
 * reservation asked for and budgets hold across instances as with per-request counters (overshoot by at most one
 * reservation). A timer pushes settled cost, renews slices and gives back idle ones; `close` gives back everything.
 * A slice that is not renewed (its instance died) is charged in full: a crash can refuse early, never overshoot.
 */
export class SlicedBudgetCounters implements BudgetCounters {
  private readonly clock: () => number;
  private readonly sliceTtlMs: number;
  private readonly onSync: () => void;
  private readonly instanceId = randomUUID();
  private sliceCount = 0;
  private readonly slices = new Map<string, WindowsSlice>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: BudgetSliceStore,
    options: SlicedBudgetCountersOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.sliceTtlMs = options.sliceTtlMs ?? DEFAULT_SLICE_TTL_MS;
    this.onSync = options.onSync ?? (() => undefined);
    const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    if (flushIntervalMs > 0) {
      const onFlushError = options.onFlushError ?? (() => undefined);
      this.timer = setInterval(() => void this.flushDue().catch(onFlushError), flushIntervalMs);
      this.timer.unref();
    }
  }

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    const slice = this.sliceOf(request.windows);
    const amount = wholeMicros(request.amountMicros);
    if (slice.syncing === undefined && slice.queue.length === 0) {
      const result = this.holdLocally(slice, request, amount);
      if (result !== undefined) return Promise.resolve(result);
    }
    return new Promise<ReserveResult>((resolve, reject) => {
      slice.queue.push({ request, amount, resolve, reject });
      this.pump(slice);
    });
  }

  async settle(request: SettleRequest): Promise<void> {
    const slice = this.slices.get(windowsKey(request.windows));
    // No slice of these windows any more, so the reservation had expired: the shared counters add the cost.
    if (slice === undefined) return this.store.settle(request);
    const hold = slice.holds.get(request.id);
    if (hold !== undefined) {
      slice.holds.delete(request.id);
      slice.held -= hold.amount;
    }
    // Also for a hold that expired meanwhile: what it cost still counts.
    slice.settledPending += wholeMicros(request.actualMicros);
  }

  /**
   * Pushes settled cost, gives back what idle slices hold beyond their in-flight reservations, renews slices before
   * they expire in the shared counters and forgets empty ones (the timer calls it; tests call it by hand).
   */
  async flushDue(): Promise<void> {
    const now = this.clock();
    const syncs: Promise<void>[] = [];
    for (const slice of this.slices.values()) {
      if (slice.syncing !== undefined || slice.queue.length > 0) continue;
      purgeExpired(slice, now);
      if (this.dropIfEmpty(slice)) continue;
      const idle = now - slice.lastReservedAt >= IDLE_AFTER_MS;
      const due = slice.settledPending > 0 || slice.stale || now >= slice.deadline || (idle && slice.granted > slice.held);
      if (!due) continue;
      syncs.push(this.sync(slice, undefined, now, idle ? 0 : this.wanted(slice, 0, now)).then(() => void this.dropIfEmpty(slice)));
    }
    await settleAll(syncs);
  }

  /** Pushes all settled cost and gives back every slice but what in-flight reservations hold (graceful shutdown). */
  async flush(): Promise<void> {
    await settleAll([...this.slices.values()].map((slice) => this.giveBack(slice)));
  }

  /** Stops the timer and flushes; call after the last settlement. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.flush();
  }

  private async giveBack(slice: WindowsSlice): Promise<void> {
    while (slice.syncing !== undefined) await slice.syncing;
    const now = this.clock();
    purgeExpired(slice, now);
    if (slice.granted > slice.held || slice.settledPending > 0 || slice.stale) await this.sync(slice, undefined, now, 0);
    this.dropIfEmpty(slice);
  }

  private sliceOf(windows: readonly BudgetWindow[]): WindowsSlice {
    const key = windowsKey(windows);
    let slice = this.slices.get(key);
    if (slice === undefined) {
      slice = {
        key,
        windows,
        sliceId: `${this.instanceId}-${++this.sliceCount}`,
        granted: 0,
        headroom: 0,
        held: 0,
        holds: new Map(),
        settledPending: 0,
        spent: windows.map(() => 0),
        deadline: 0,
        stale: false,
        demandSince: 0,
        demand: 0,
        previousDemand: 0,
        lastReservedAt: 0,
        queue: [],
        syncing: undefined,
      };
      this.slices.set(key, slice);
    } else if (slice.windows !== windows && !sameLimits(slice.windows, windows)) {
      // Changed limits: nothing may be served under the old ones; the next reservation syncs.
      slice.windows = windows;
      slice.stale = true;
    }
    return slice;
  }

  /** A reservation out of the slice, or undefined when the slice cannot cover it. */
  private holdLocally(slice: WindowsSlice, request: ReserveRequest, amount: number): ReserveResult | undefined {
    purgeExpired(slice, request.now);
    if (slice.stale || request.now >= slice.deadline) return undefined;
    const used = slice.held + slice.settledPending;
    // Admit while anything is left (as the shared counters would), and only out of what the slice reserves.
    if (used >= slice.headroom || used + amount > slice.granted) return undefined;
    this.hold(slice, request, amount);
    return { ok: true, spentMicros: spentNow(slice), exhausted: [] };
  }

  private hold(slice: WindowsSlice, request: ReserveRequest, amount: number): void {
    slice.holds.set(request.id, { amount, expiresAt: request.expiresAt });
    slice.held += amount;
    rollDemand(slice, request.now);
    slice.demand += amount;
    slice.lastReservedAt = request.now;
  }

  /** Serves queued reservations from the slice in order; when it runs out, syncs once for the first of them. */
  private pump(slice: WindowsSlice): void {
    if (slice.syncing !== undefined) return;
    while (slice.queue.length > 0) {
      const head = slice.queue[0] as Waiter;
      const result = this.holdLocally(slice, head.request, head.amount);
      if (result === undefined) break;
      slice.queue.shift();
      head.resolve(result);
    }
    const head = slice.queue[0];
    if (head === undefined) return;
    const now = head.request.now;
    // The failure reaches every waiter through failQueue.
    this.sync(slice, head, now, this.wanted(slice, head.amount, now)).catch(() => undefined);
  }

  /** One sync with the shared counters; then answers `head` (and, refused, every waiter) and serves the queue. */
  private async sync(slice: WindowsSlice, head: Waiter | undefined, now: number, want: number): Promise<void> {
    let finished = () => undefined as void;
    slice.syncing = new Promise<void>((resolve) => (finished = resolve));
    purgeExpired(slice, now);
    const sentSettled = slice.settledPending;
    let result: SliceSyncResult;
    this.onSync();
    try {
      result = await this.store.syncSlice({
        sliceId: slice.sliceId,
        now,
        settledMicros: sentSettled,
        heldMicros: slice.held,
        forReservation: head !== undefined,
        needMicros: head?.amount ?? 0,
        wantMicros: want,
        expiresAt: now + this.sliceTtlMs,
        windows: slice.windows,
      });
    } catch (error) {
      // Whether it was applied is unknown: serve nothing more from the old slice; the settled cost is pushed again.
      slice.stale = true;
      slice.syncing = undefined;
      finished();
      if (head === undefined) this.pump(slice);
      else this.failQueue(slice, error);
      throw error;
    }
    slice.syncing = undefined;
    finished();
    // Settlements that arrived while the sync ran are still to push; no reservation was held meanwhile.
    slice.settledPending -= sentSettled;
    slice.granted = result.sliceMicros;
    slice.headroom = result.headroomMicros;
    slice.spent = result.spentMicros;
    slice.deadline = now + this.sliceTtlMs / 2;
    slice.stale = false;
    if (head !== undefined && slice.queue[0] === head) this.answer(slice, head, result);
    this.pump(slice);
  }

  /** Admits `head` out of the slice just granted for it, or refuses it and every waiter: the budget is exhausted. */
  private answer(slice: WindowsSlice, head: Waiter, result: SliceSyncResult): void {
    if (result.ok) {
      slice.queue.shift();
      this.hold(slice, head.request, head.amount);
      head.resolve({ ok: true, spentMicros: spentNow(slice), exhausted: [] });
      return;
    }
    const refused = slice.queue;
    slice.queue = [];
    for (const waiter of refused) waiter.resolve({ ok: false, spentMicros: spentNow(slice), exhausted: [...result.exhausted] });
  }

  /** The shared counters failed: every waiter gets the error (FailoverBudgetCounters applies `limits.on_redis_failure`). */
  private failQueue(slice: WindowsSlice, error: unknown): void {
    const waiters = slice.queue;
    slice.queue = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** What to ask for beyond what is held: twice the last second's demand and what waits, at most a share of the tightest enforced limit. */
  private wanted(slice: WindowsSlice, need: number, now: number): number {
    rollDemand(slice, now);
    const previousWeight = Math.min(1, Math.max(0, 1 - (now - slice.demandSince) / DEMAND_PERIOD_MS));
    const recent = slice.demand + slice.previousDemand * previousWeight;
    let waiting = 0;
    for (const waiter of slice.queue) waiting += waiter.amount;
    let smallestLimit = Infinity;
    for (const window of slice.windows) if (window.definition.enforce) smallestLimit = Math.min(smallestLimit, window.definition.limitMicros);
    return Math.max(need, Math.min(Math.ceil(2 * (recent + waiting)), Math.floor(smallestLimit / LIMIT_SHARE)));
  }

  /** Forgets a slice that holds and owes nothing (a period that ended, a key gone quiet). */
  private dropIfEmpty(slice: WindowsSlice): boolean {
    const empty = slice.syncing === undefined && slice.queue.length === 0 && !slice.stale && slice.granted === 0 && slice.held === 0 && slice.settledPending === 0;
    if (empty && this.slices.get(slice.key) === slice) this.slices.delete(slice.key);
    return empty;
  }
}

function windowsKey(windows: readonly BudgetWindow[]): string {
  return windows.map((window) => window.counter).join(' ');
}

function sameLimits(a: readonly BudgetWindow[], b: readonly BudgetWindow[]): boolean {
  return a.every((window, index) => window.definition.limitMicros === b[index]?.definition.limitMicros && window.definition.enforce === b[index]?.definition.enforce);
}

/** Holds whose reservation expired stop counting (a request that never settles must not block the slice). */
function purgeExpired(slice: WindowsSlice, now: number): void {
  for (const [id, hold] of slice.holds) {
    if (hold.expiresAt > now) break;
    slice.holds.delete(id);
    slice.held -= hold.amount;
  }
}

/** Starts a new demand bucket once the current one is a period old. */
function rollDemand(slice: WindowsSlice, now: number): void {
  const elapsed = now - slice.demandSince;
  if (elapsed < DEMAND_PERIOD_MS) return;
  slice.previousDemand = elapsed < 2 * DEMAND_PERIOD_MS ? slice.demand : 0;
  slice.demand = 0;
  slice.demandSince = now - (elapsed % DEMAND_PERIOD_MS);
}

function spentNow(slice: WindowsSlice): number[] {
  return slice.spent.map((spent) => spent + slice.settledPending);
}

/** Whole, non-negative micro-USD, as the shared counters store them. */
function wholeMicros(micros: number): number {
  return Math.max(0, Math.round(micros));
}

/** Waits for every promise, then rejects with the first failure, if any. */
async function settleAll(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}
