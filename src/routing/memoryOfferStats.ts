import type { OfferSample, OfferStats, OfferStatsSnapshot } from './offerStats.js';
import { EMPTY_SNAPSHOT } from './offerStats.js';
import { percentile, SlidingWindow } from './slidingWindow.js';

export interface StatsWindowOptions {
  /** Samples kept per offer and dimension. */
  capacity: number;
  /** Samples older than this no longer count. */
  windowMs: number;
  /** A snapshot is recomputed at most this often unless a sample arrived. */
  cacheMs: number;
}

export const DEFAULT_STATS_WINDOW: StatsWindowOptions = { capacity: 200, windowMs: 10 * 60_000, cacheMs: 1_000 };

interface OfferWindows {
  ttft: SlidingWindow;
  tps: SlidingWindow;
  outcomes: SlidingWindow;
  cached: OfferStatsSnapshot | undefined;
  cachedAt: number;
  /** A sample arrived since the snapshot was computed. */
  dirty: boolean;
}

/** Below this many samples every new one is reflected at once (early learning); above it, at most once per `cacheMs`. */
const EARLY_SAMPLES = 20;

/** Measurements kept in this process; percentiles are computed on demand and cached (sorting on every request would cost more than routing). */
export class MemoryOfferStats implements OfferStats {
  private readonly offers = new Map<string, OfferWindows>();

  constructor(private readonly options: StatsWindowOptions = DEFAULT_STATS_WINDOW) {}

  record(offerKey: string, sample: OfferSample, now: number): void {
    const windows = this.windowsFor(offerKey);
    windows.outcomes.add(sample.success ? 1 : 0, now);
    if (sample.ttftMs !== undefined && Number.isFinite(sample.ttftMs)) windows.ttft.add(sample.ttftMs, now);
    if (sample.tps !== undefined && Number.isFinite(sample.tps) && sample.tps > 0) windows.tps.add(sample.tps, now);
    windows.dirty = true;
  }

  snapshot(offerKey: string, now: number): OfferStatsSnapshot {
    const windows = this.offers.get(offerKey);
    if (windows === undefined) return EMPTY_SNAPSHOT;
    const cached = windows.cached;
    if (cached !== undefined && now - windows.cachedAt < this.options.cacheMs && (!windows.dirty || cached.samples >= EARLY_SAMPLES)) return cached;
    const ttft = windows.ttft.current(now);
    const tps = windows.tps.current(now);
    const outcomes = windows.outcomes.current(now);
    const successes = outcomes.reduce((sum, value) => sum + value, 0);
    const snapshot: OfferStatsSnapshot = {
      ttftP50: percentile(ttft, 0.5),
      ttftP95: percentile(ttft, 0.95),
      tpsP50: percentile(tps, 0.5),
      // For throughput the pessimistic tail is the slow end: p95 means "95% of answers were at least this fast".
      tpsP95: percentile(tps, 0.05),
      successRate: outcomes.length === 0 ? undefined : successes / outcomes.length,
      samples: outcomes.length,
    };
    windows.cached = snapshot;
    windows.cachedAt = now;
    windows.dirty = false;
    return snapshot;
  }

  private windowsFor(offerKey: string): OfferWindows {
    let windows = this.offers.get(offerKey);
    if (windows === undefined) {
      const { capacity, windowMs } = this.options;
      windows = {
        ttft: new SlidingWindow(capacity, windowMs),
        tps: new SlidingWindow(capacity, windowMs),
        outcomes: new SlidingWindow(capacity, windowMs),
        cached: undefined,
        cachedAt: 0,
        dirty: false,
      };
      this.offers.set(offerKey, windows);
    }
    return windows;
  }
}
