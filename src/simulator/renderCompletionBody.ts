import type { CompletionPlan, PlannedChoice } from './planCompletion.js';
import { renderUsage } from './renderUsage.js';
import { tokenLogprobs } from './tokenLogprobs.js';

function renderMessage(plan: CompletionPlan, choice: PlannedChoice): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: choice.content };
  if (plan.reasoningField !== undefined && choice.reasoningTokens.length > 0) message[plan.reasoningField] = choice.reasoningTokens.join('');
  if (choice.toolCalls !== undefined) {
    message.tool_calls = choice.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  message.refusal = null;
  message.annotations = [];
  return message;
}

/** The non-streamed `chat.completion` body with OpenAI's key order (service_tier and system_fingerprint last, as OpenAI sends them). */
export function renderCompletionBody(plan: CompletionPlan): string {
  const choices = plan.choices.map((choice) => ({
    index: choice.index,
    message: renderMessage(plan, choice),
    logprobs:
      plan.topLogprobs === undefined || choice.toolCalls !== undefined
        ? null
        : { content: tokenLogprobs(choice.contentTokens, 0, plan.topLogprobs), refusal: null },
    finish_reason: choice.finishReason,
  }));
  const head = JSON.stringify({ id: plan.id, object: 'chat.completion', created: plan.created, model: plan.model, choices });
  // The usage string is pre-rendered, so splice it in instead of re-serialising an object.
  return `${head.slice(0, -1)},"usage":${renderUsage(plan.usage)},"service_tier":${JSON.stringify(plan.serviceTier)},"system_fingerprint":${JSON.stringify(plan.systemFingerprint)}}`;
}
