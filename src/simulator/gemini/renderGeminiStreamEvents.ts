import type { CompletionPlan, PlannedChoice } from '../planCompletion.js';
import { groupTokens, type StreamEvent, type StreamEventKind } from '../renderStreamEvents.js';
import { toolCallTokens } from '../planCompletion.js';
import { geminiLogprobsResult } from './geminiLogprobsResult.js';
import { functionCallParts, geminiFinishReason } from './geminiPlanParts.js';
import type { GeminiAnswer } from './renderGeminiResponse.js';
import { geminiUsageMetadata } from './geminiUsageMetadata.js';
import { simulatedThoughtSignature } from './simulatedThoughtSignature.js';

type Json = Record<string, unknown>;

/**
 * A plan as `streamGenerateContent?alt=sse` events (providers reference §4.6): every event a whole
 * GenerateContentResponse with usageMetadata; thoughts in one chunk; every function call of a choice whole in one
 * chunk (the first signed when the model thought); text in `chunkCount` deltas; then a last chunk per choice with an
 * empty text part (signed for a thinking text answer), the finishReason and the full usage. No `[DONE]`.
 */
export function renderGeminiStreamEvents(plan: CompletionPlan, answer: GeminiAnswer, chunkCount: number | undefined): StreamEvent[] {
  const tail = `,"modelVersion":${JSON.stringify(plan.model)},"responseId":${JSON.stringify(answer.responseId)}}\n\n`;
  const partialUsage = JSON.stringify(geminiUsageMetadata(plan.usage, false));
  const finalUsage = JSON.stringify(geminiUsageMetadata(plan.usage, true));
  const event = (choice: number, kind: StreamEventKind, candidate: Json, tokens: number, usage: string): StreamEvent => ({
    text: `data: {"candidates":[${JSON.stringify({ ...candidate, index: choice })}],"usageMetadata":${usage}${tail}`,
    kind,
    choice,
    tokens,
  });
  const generated = plan.choices.map((choice) => generatedEvents(plan, choice, answer, chunkCount, (candidate, tokens) => event(choice.index, 'generated', candidate, tokens, partialUsage)));
  const events: StreamEvent[] = [];
  // Round-robin, as candidates of one stream interleave.
  const longest = Math.max(0, ...generated.map((list) => list.length));
  for (let step = 0; step < longest; step++) {
    for (const list of generated) {
      const next = list[step];
      if (next !== undefined) events.push(next);
    }
  }
  for (const choice of plan.choices) {
    const last: Json = { text: '' };
    if (answer.thought && choice.toolCalls === undefined) last.thoughtSignature = simulatedThoughtSignature(answer.responseId, choice.index);
    events.push(event(choice.index, 'finish', { content: { parts: [last], role: 'model' }, finishReason: geminiFinishReason(choice.finishReason) }, 0, finalUsage));
  }
  return events;
}

function generatedEvents(
  plan: CompletionPlan,
  choice: PlannedChoice,
  answer: GeminiAnswer,
  chunkCount: number | undefined,
  event: (candidate: Json, tokens: number) => StreamEvent,
): StreamEvent[] {
  const content = (parts: Json[]): Json => ({ content: { parts, role: 'model' } });
  const events: StreamEvent[] = [];
  if (plan.reasoningField !== undefined && choice.reasoningTokens.length > 0) {
    events.push(event(content([{ text: choice.reasoningTokens.join(''), thought: true }]), choice.reasoningTokens.length));
  }
  if (choice.toolCalls !== undefined) {
    const signature = answer.thought ? simulatedThoughtSignature(answer.responseId, choice.index) : undefined;
    const tokens = choice.toolCalls.reduce((sum, call) => sum + toolCallTokens(call), 0);
    events.push(event(content(functionCallParts(choice, signature)), tokens));
    return events;
  }
  let position = 0;
  for (const group of groupTokens(choice.contentTokens, chunkCount)) {
    const candidate = content([{ text: group.join('') }]);
    if (plan.topLogprobs !== undefined) candidate.logprobsResult = geminiLogprobsResult(group, position, plan.topLogprobs);
    events.push(event(candidate, group.length));
    position += group.length;
  }
  return events;
}
