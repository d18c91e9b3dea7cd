import type { CompletionPlan, PlannedChoice } from '../planCompletion.js';
import { geminiLogprobsResult } from './geminiLogprobsResult.js';
import { functionCallParts, geminiFinishReason } from './geminiPlanParts.js';
import { geminiUsageMetadata } from './geminiUsageMetadata.js';
import { simulatedThoughtSignature } from './simulatedThoughtSignature.js';

type Json = Record<string, unknown>;

/** How the model answered beyond the shared plan: whether it thought (signatures), and the response id. */
export interface GeminiAnswer {
  responseId: string;
  thought: boolean;
}

function candidate(plan: CompletionPlan, choice: PlannedChoice, answer: GeminiAnswer): Json {
  const signature = answer.thought ? simulatedThoughtSignature(answer.responseId, choice.index) : undefined;
  const parts: Json[] = [];
  if (plan.reasoningField !== undefined && choice.reasoningTokens.length > 0) parts.push({ text: choice.reasoningTokens.join(''), thought: true });
  if (choice.content !== null && choice.content !== '') parts.push({ text: choice.content });
  if (choice.toolCalls !== undefined) parts.push(...functionCallParts(choice, signature));
  // A text answer's signature rides on its last part.
  else if (signature !== undefined && parts.length > 0) (parts[parts.length - 1] as Json).thoughtSignature = signature;
  const result: Json = { content: parts.length === 0 ? { role: 'model' } : { parts, role: 'model' }, finishReason: geminiFinishReason(choice.finishReason), index: choice.index };
  if (plan.topLogprobs !== undefined && choice.toolCalls === undefined) {
    const logprobs = geminiLogprobsResult(choice.contentTokens, 0, plan.topLogprobs);
    const chosen = logprobs.chosenCandidates as { logProbability: number }[];
    result.avgLogprobs = chosen.length === 0 ? 0 : chosen.reduce((sum, step) => sum + step.logProbability, 0) / chosen.length;
    result.logprobsResult = logprobs;
  }
  return result;
}

/** The non-streamed `GenerateContentResponse` (providers reference §4.5). */
export function renderGeminiResponse(plan: CompletionPlan, answer: GeminiAnswer): string {
  return JSON.stringify({
    candidates: plan.choices.map((choice) => candidate(plan, choice, answer)),
    usageMetadata: geminiUsageMetadata(plan.usage, true),
    modelVersion: plan.model,
    responseId: answer.responseId,
  });
}
