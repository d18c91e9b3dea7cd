import type { Warning } from './warning.js';

export interface AttemptSummary {
  provider: string;
  provider_model_id: string;
  status: number;
  code?: string;
}

/** `routing_metadata` of a successful response (contract §5.2), as sent on the wire. */
export interface RoutingMetadata {
  provider: string;
  provider_model_id: string;
  model_canonical: string;
  routing_strategy: string;
  cost?: { usd: number; cache_savings_usd?: number; cache_savings_percent?: number };
  ttft_ms?: number;
  throughput_tps?: number;
  warnings?: Warning[];
  total_latency_ms?: number;
  attempts?: AttemptSummary[];
}
