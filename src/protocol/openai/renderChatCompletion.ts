import type { ChatResult, FinishReason, ResultMessage } from '../../core/chatResult.js';
import type { RoutingMetadata } from '../../core/routingMetadata.js';
import { emptyUsage } from '../../core/usage.js';
import { renderUsage } from './renderUsage.js';

/** A provider-neutral result → the OpenAI `chat.completion` body with `routing_metadata`. */
export function renderChatCompletion(result: ChatResult, metadata: RoutingMetadata, legacyFunctions: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((choice) => ({
      index: choice.index,
      message: renderMessage(choice.message, legacyFunctions),
      logprobs: choice.logprobs ?? null,
      finish_reason: legacyFunctions && choice.finishReason === 'tool_calls' ? 'function_call' : choice.finishReason satisfies FinishReason,
    })),
    usage: renderUsage(result.usage ?? emptyUsage()),
  };
  if (result.systemFingerprint !== undefined) body.system_fingerprint = result.systemFingerprint;
  if (result.serviceTier !== undefined) body.service_tier = result.serviceTier;
  body.routing_metadata = metadata;
  return body;
}

function renderMessage(message: ResultMessage, legacyFunctions: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = { role: 'assistant', content: message.content };
  if (message.refusal !== undefined) rendered.refusal = message.refusal;
  if (message.reasoningContent !== undefined) rendered.reasoning_content = message.reasoningContent;
  const toolCalls = message.toolCalls;
  if (toolCalls !== undefined && toolCalls.length > 0) {
    const first = toolCalls[0];
    // A caller of the legacy functions API gets the first call as `function_call`.
    if (legacyFunctions && first !== undefined) rendered.function_call = { name: first.function.name, arguments: first.function.arguments };
    else rendered.tool_calls = toolCalls;
  }
  if (message.extra !== undefined) {
    for (const [key, value] of Object.entries(message.extra)) if (!(key in rendered)) rendered[key] = value;
  }
  return rendered;
}
