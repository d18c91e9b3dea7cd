import type { SimulatorProfile } from '../../../src/simulator/simulatorServer.js';
import { startStack, type Stack, type StackOfferSpec, type StackOptions } from '../../support/startStack.js';

export const PROFILE_IDS = ['alpha', 'beta', 'gamma', 'delta'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

const PRICE: Record<ProfileId, number> = { alpha: 1, beta: 2, gamma: 3, delta: 4 };

export function offersOn(...profiles: ProfileId[]): StackOfferSpec[] {
  return profiles.map((profile) => ({ profile, price: { input: PRICE[profile], output: PRICE[profile] } }));
}

/**
 * Four simulator profiles and models served by one (`solo` on alpha, `solo-b` on beta), two (`duo`) or all
 * four (`quad`) of them. Tests never rely on which offer is tried first: routing may pick by weight.
 */
export function startFourProfileStack(options: Omit<StackOptions, 'profiles' | 'models'> & { profiles?: SimulatorProfile[] } = {}): Promise<Stack> {
  return startStack({
    profiles: options.profiles ?? PROFILE_IDS.map((id) => ({ id })),
    models: {
      solo: offersOn('alpha'),
      'solo-b': offersOn('beta'),
      duo: offersOn('alpha', 'beta'),
      quad: offersOn('alpha', 'beta', 'gamma', 'delta'),
    },
    ...options,
  });
}

export interface RoutingMetadata {
  provider: string;
  provider_model_id: string;
  model_canonical: string;
  routing_strategy: string;
  cost?: { usd: number };
  warnings?: { code: string; message: string; param?: string }[];
  attempts?: { provider: string; provider_model_id: string; status: number; code?: string }[];
  ttft_ms?: number;
  total_latency_ms?: number;
}

export interface Completion {
  id: string;
  object: string;
  model: string;
  choices: { message: { role: string; content: string | null } }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  routing_metadata: RoutingMetadata;
}
