import type { Behaviour } from '../behaviour.js';
import type { CompletionPlan } from '../planCompletion.js';
import { thinkingSignature } from './thinkingSignature.js';
import type { AnthropicRequest } from './validateAnthropicRequest.js';

export interface SimulatedToolUse {
  id: string;
  name: string;
  input: unknown;
  /** The input JSON cut into pieces for `input_json_delta` events. */
  fragments: string[];
}

export interface SimulatedUsage {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  /** `output_tokens_details.thinking_tokens`, reported when thinking ran. */
  thinking: number | undefined;
}

/** One planned answer in Anthropic's terms, shared by the JSON and the SSE renderers so they agree. */
export interface SimulatedMessage {
  id: string;
  model: string;
  thinking: { tokens: readonly string[]; signature: string } | undefined;
  /** Text tokens; empty when the answer has no text block. */
  text: readonly string[];
  toolUses: SimulatedToolUse[];
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';
  stopSequence: string | null;
  usage: SimulatedUsage;
}

/** Anthropic's answer to a planned completion: thinking (signed), text or tool use, stop reason and usage with cache counters. */
export function simulatedMessage(plan: CompletionPlan, request: AnthropicRequest, behaviour: Behaviour, thinking: boolean): SimulatedMessage {
  const choice = plan.choices[0];
  if (choice === undefined) throw new Error('a plan without choices');
  const omitted = request.thinking?.display === 'omitted';
  const thinkingTokens = omitted ? [] : choice.reasoningTokens;
  const stopReason = choice.finishReason === 'tool_calls' ? 'tool_use' : choice.finishReason === 'length' ? 'max_tokens' : choice.stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
  const prompt = plan.usage.promptTokens;
  const cacheRead = plan.usage.cachedTokens;
  const cacheWrite = Math.min(behaviour.cacheWriteTokens, prompt - cacheRead);
  return {
    id: plan.id,
    model: plan.model,
    thinking: thinking ? { tokens: thinkingTokens, signature: thinkingSignature(thinkingTokens.join('')) } : undefined,
    text: choice.contentTokens,
    toolUses: (choice.toolCalls ?? []).map((call) => ({ id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown, fragments: call.argumentFragments })),
    stopReason,
    stopSequence: stopReason === 'stop_sequence' ? (choice.stopSequence ?? null) : null,
    usage: { input: prompt - cacheRead - cacheWrite, cacheWrite, cacheRead, output: plan.usage.completionTokens, thinking: thinking ? choice.reasoningTokenCount : undefined },
  };
}

/** Anthropic's `usage` object (non-stream `Message`, `message_start` and `message_delta`). */
export function renderAnthropicUsage(usage: SimulatedUsage, outputTokens: number = usage.output): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
  };
  if (usage.thinking !== undefined) rendered.output_tokens_details = { thinking_tokens: usage.thinking };
  rendered.service_tier = 'standard';
  return rendered;
}

/** `message_delta.usage`: the cumulative counters, without the per-message extras. */
export function renderAnthropicDeltaUsage(usage: SimulatedUsage): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: usage.output,
  };
  if (usage.thinking !== undefined) rendered.output_tokens_details = { thinking_tokens: usage.thinking };
  return rendered;
}
