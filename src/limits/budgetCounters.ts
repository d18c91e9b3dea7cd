import type { BudgetDefinition } from './budgetDefinition.js';
import { periodWindow } from './budgetPeriods.js';

/** One budget in the UTC period holding a request's start: the counter a reservation is made against. */
export interface BudgetWindow {
  definition: BudgetDefinition;
  /** Period bounds, wall-clock ms. */
  start: number;
  end: number;
  /** Unique name of the counter: `key:<id>:daily:<start ms>` or `global:monthly:<start ms>`. */
  counter: string;
}

export function budgetWindow(definition: BudgetDefinition, now: number): BudgetWindow {
  const { start, end } = periodWindow(definition.period, now);
  const scope = definition.scope === 'global' ? 'global' : `key:${definition.keyId ?? ''}`;
  return { definition, start, end, counter: `${scope}:${definition.period}:${start}` };
}

export interface ReserveRequest {
  /** Unique per request; names the reservation in every counter. */
  id: string;
  amountMicros: number;
  now: number;
  /** When an unsettled reservation stops counting (wall-clock ms). */
  expiresAt: number;
  windows: readonly BudgetWindow[];
}

export interface ReserveResult {
  ok: boolean;
  /** Settled spend of each window (same order), before this reservation. */
  spentMicros: number[];
  /** Indexes of the enforced windows that were exhausted (empty when ok). */
  exhausted: number[];
}

export interface SettleRequest {
  id: string;
  /** The amount reserved under `id` (as in its ReserveRequest). */
  reservedMicros: number;
  actualMicros: number;
  /** Wall-clock ms of the settlement. */
  now: number;
  windows: readonly BudgetWindow[];
}

/**
 * Where budget counters live (memory, Redis or Postgres). `reserve` is atomic over all windows: expired reservations
 * stop counting; if an enforced window is exhausted (settled + reserved ≥ limit) nothing changes; otherwise the
 * amount is reserved in every window. Admitting while anything is left, rather than only when the whole maximum
 * fits, lets a budget be used up (a request's maximum is usually far above its real cost) while bounding the
 * overshoot by one request's reservation, as the contract allows (§9). `settle` drops the reservation and adds the
 * real cost (also when the reservation has expired meanwhile).
 */
export interface BudgetCounters {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  settle(request: SettleRequest): Promise<void>;
}

/** What was spent in a window before its counter existed (the usage ledger), so a restart does not forget it. */
export type SpendSeed = (window: BudgetWindow) => Promise<number>;

export const NO_SEED: SpendSeed = async () => 0;

/** The exhausted-window test every backend applies. */
export function isExhausted(window: BudgetWindow, spentMicros: number, reservedMicros: number): boolean {
  return window.definition.enforce && spentMicros + reservedMicros >= window.definition.limitMicros;
}
