import type { RoutingWeights, Strategy } from '../core/chatRequest.js';

export interface Weights {
  cost: number;
  ttft: number;
  tps: number;
  reliability: number;
}

/** Presets of contract §4.2: "-focus" is almost purely one dimension, the plain name leads with it, balanced is even. */
const PRESETS: Record<Strategy, Weights> = {
  'cost-focus': { cost: 0.94, ttft: 0.02, tps: 0.02, reliability: 0.02 },
  cost: { cost: 0.55, ttft: 0.15, tps: 0.15, reliability: 0.15 },
  'ttft-focus': { cost: 0.02, ttft: 0.94, tps: 0.02, reliability: 0.02 },
  ttft: { cost: 0.15, ttft: 0.55, tps: 0.15, reliability: 0.15 },
  'tps-focus': { cost: 0.02, ttft: 0.02, tps: 0.94, reliability: 0.02 },
  tps: { cost: 0.15, ttft: 0.15, tps: 0.55, reliability: 0.15 },
  balanced: { cost: 0.25, ttft: 0.25, tps: 0.25, reliability: 0.25 },
};

export const DEFAULT_STRATEGY: Strategy = 'cost-focus';

/** The weights a request routes with, and the name `routing_strategy` reports. */
export function strategyWeights(strategy: Strategy | undefined, custom: RoutingWeights | undefined): { weights: Weights; name: string } {
  if (custom !== undefined) {
    const raw = { cost: custom.cost ?? 0, ttft: custom.ttft ?? 0, tps: custom.tps ?? 0, reliability: custom.reliability ?? 0 };
    const total = raw.cost + raw.ttft + raw.tps + raw.reliability;
    return { weights: { cost: raw.cost / total, ttft: raw.ttft / total, tps: raw.tps / total, reliability: raw.reliability / total }, name: 'custom' };
  }
  const name = strategy ?? DEFAULT_STRATEGY;
  return { weights: PRESETS[name], name };
}
