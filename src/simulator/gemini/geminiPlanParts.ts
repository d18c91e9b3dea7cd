import type { PlannedChoice, PlannedFinishReason } from '../planCompletion.js';

type Json = Record<string, unknown>;

const FINISH_REASONS: Readonly<Record<PlannedFinishReason, string>> = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' };

/** Gemini says STOP on tool-call turns too. */
export function geminiFinishReason(reason: PlannedFinishReason): string {
  return FINISH_REASONS[reason];
}

/** A planned choice's function calls as whole `functionCall` parts; the first carries the signature when the model thought. */
export function functionCallParts(choice: PlannedChoice, signature: string | undefined): Json[] {
  return (choice.toolCalls ?? []).map((call, index) => {
    const part: Json = { functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown } };
    if (index === 0 && signature !== undefined) part.thoughtSignature = signature;
    return part;
  });
}
