/** One finished attempt as routing learns from it. */
export interface OfferSample {
  success: boolean;
  /** Time to first token in ms (streams; estimated for non-streamed answers). */
  ttftMs?: number | undefined;
  /** Output tokens per second of the answer. */
  tps?: number | undefined;
}

/** What routing knows about an offer's recent performance; undefined where nothing is known. */
export interface OfferStatsSnapshot {
  ttftP50: number | undefined;
  ttftP95: number | undefined;
  tpsP50: number | undefined;
  tpsP95: number | undefined;
  /** Share of successful attempts in the window, undefined with no attempts. */
  successRate: number | undefined;
  /** Attempts in the window. */
  samples: number;
}

/** Live measurements per offer over a sliding window (contract §4.5). */
export interface OfferStats {
  snapshot(offerKey: string, now: number): OfferStatsSnapshot;
  record(offerKey: string, sample: OfferSample, now: number): void;
}

export const EMPTY_SNAPSHOT: OfferStatsSnapshot = Object.freeze({
  ttftP50: undefined,
  ttftP95: undefined,
  tpsP50: undefined,
  tpsP95: undefined,
  successRate: undefined,
  samples: 0,
});
