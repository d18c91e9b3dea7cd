import type { Weights } from './strategyWeights.js';

/** One qualifying offer with the figures scoring needs. */
export interface ScoringInput {
  /** Expected cost of this request on the offer (any consistent unit). */
  expectedCost: number;
  ttftMs: number | undefined;
  tps: number | undefined;
  successRate: number | undefined;
  unmeasured: boolean;
}

/** Success rate assumed for an offer with no attempts yet. */
const UNKNOWN_SUCCESS_RATE = 0.95;

/**
 * Scores in [0, 1] per candidate: each dimension is relative to the best candidate (cheapest, quickest, fastest),
 * then weighted. A dimension nobody has figures for counts the same for all; a candidate without a figure gets
 * the median of the others, so an unmeasured offer is neither excluded nor the favourite (contract §4.4).
 */
export function scoreCandidates(candidates: readonly ScoringInput[], weights: Weights): number[] {
  const count = candidates.length;
  const costs: number[] = [];
  const ttftInputs: (number | undefined)[] = [];
  const tpsInputs: (number | undefined)[] = [];
  let minCost = Infinity;
  for (const candidate of candidates) {
    costs.push(candidate.expectedCost);
    ttftInputs.push(candidate.ttftMs);
    tpsInputs.push(candidate.tps);
    if (candidate.expectedCost < minCost) minCost = candidate.expectedCost;
  }
  const ttfts = fillMissing(ttftInputs);
  const tpss = fillMissing(tpsInputs);
  let minTtft = Infinity;
  let maxTps = -Infinity;
  for (let index = 0; index < count; index++) {
    const ttft = ttfts[index] as number;
    if (ttft > 0 && ttft < minTtft) minTtft = ttft;
    const tps = tpss[index] as number;
    if (tps > maxTps) maxTps = tps;
  }
  const scores: number[] = [];
  for (let index = 0; index < count; index++) {
    const cost = costs[index] as number;
    const ttft = ttfts[index] as number;
    const tps = tpss[index] as number;
    const costScore = cost <= 0 ? 1 : minCost / cost;
    const ttftScore = !Number.isFinite(minTtft) || ttft <= 0 ? 1 : minTtft / ttft;
    const tpsScore = maxTps <= 0 ? 1 : tps / maxTps;
    const reliability = (candidates[index] as ScoringInput).successRate ?? UNKNOWN_SUCCESS_RATE;
    scores.push(weights.cost * costScore + weights.ttft * ttftScore + weights.tps * tpsScore + weights.reliability * reliability);
  }
  return scores;
}

function fillMissing(values: (number | undefined)[]): number[] {
  // Once every offer is measured nothing is missing: skip the sort for the median.
  if (!values.includes(undefined)) return values as number[];
  const known = values.filter((value): value is number => value !== undefined).sort((left, right) => left - right);
  const median = known.length === 0 ? 0 : (known[Math.floor((known.length - 1) / 2)] as number);
  return values.map((value) => value ?? median);
}
