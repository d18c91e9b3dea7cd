import type { FinishReason } from './chatResult.js';
import type { GatewayError } from './gatewayError.js';
import type { Usage } from './usage.js';

/**
 * What a provider stream decoder produces; one encoder turns these into OpenAI chunks.
 * `choice` is the choice index (0 unless n > 1); tool-call `index` counts tool calls within a choice from 0.
 */
export type StreamEvent =
  | { type: 'response-start'; id: string; model: string; created: number; systemFingerprint?: string | null; serviceTier?: string }
  | { type: 'text-delta'; choice: number; text: string; logprobs?: unknown }
  | { type: 'reasoning-delta'; choice: number; text: string }
  | { type: 'refusal-delta'; choice: number; text: string }
  | { type: 'tool-call-start'; choice: number; index: number; id: string; name: string; extra?: Record<string, unknown> }
  | { type: 'tool-call-delta'; choice: number; index: number; arguments: string }
  /** Provider fields for the client to echo back later (signatures, thinking blocks), sent as delta fields. */
  | { type: 'message-extra'; choice: number; fields: Record<string, unknown> }
  | { type: 'finish'; choice: number; reason: FinishReason }
  | { type: 'usage'; usage: Usage }
  | { type: 'error'; error: GatewayError };

export type StreamEventType = StreamEvent['type'];
