import type { BudgetWindow, SettleRequest } from './budgetCounters.js';

/** One exchange between an instance's slice of some windows and the shared counters. */
export interface SliceSyncRequest {
  /** Names this instance's slice of these windows; the same at every sync of it. */
  sliceId: string;
  /** Wall-clock ms. */
  now: number;
  /** Cost settled out of the slice since the last sync: becomes spent in every window. */
  settledMicros: number;
  /** What the instance's in-flight reservations hold: stays reserved whatever the outcome. */
  heldMicros: number;
  /** A reservation is waiting for this sync: it is refused when an enforced window is exhausted. */
  forReservation: boolean;
  /** That reservation's amount (0 for a flush). */
  needMicros: number;
  /** What the instance would like beyond what it holds (≥ need). */
  wantMicros: number;
  /** When the slice stops being the instance's and is charged in full as spent, unless synced again (wall-clock ms). */
  expiresAt: number;
  windows: readonly BudgetWindow[];
}

export interface SliceSyncResult {
  /** False when the waiting reservation was refused (then the slice is just what was held). */
  ok: boolean;
  /** Settled spend of each window after this sync's settled cost. */
  spentMicros: number[];
  /** Indexes of the enforced windows that refused the reservation (empty when ok). */
  exhausted: number[];
  /** The slice now reserved for the instance: held + what was granted. */
  sliceMicros: number;
  /**
   * Least room left for the instance in an enforced window (limit − spent − what other slices and reservations
   * hold), as of this sync; Infinity when no window is enforced.
   */
  headroomMicros: number;
}

/** Shared counters that can hand out slices (RedisBudgetCounters), and settle reservations made without one. */
export interface BudgetSliceStore {
  syncSlice(request: SliceSyncRequest): Promise<SliceSyncResult>;
  settle(request: SettleRequest): Promise<void>;
}
