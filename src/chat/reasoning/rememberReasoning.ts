import type { ChatResult } from '../../core/chatResult.js';
import type { ReasoningMemory } from './reasoningMemory.js';
import { toRememberedReasoning } from './toRememberedReasoning.js';

/** Remembers, per choice, the reasoning a complete answer carried beside its tool calls (nothing for other answers). */
export function rememberReasoning(result: ChatResult, memory: ReasoningMemory, scope: string): void {
  for (const choice of result.choices) {
    const { toolCalls } = choice.message;
    if (toolCalls === undefined || toolCalls.length === 0) continue;
    const emitted = toolCalls.map((call) => ({ id: call.id, name: call.function.name, fields: call }));
    const reasoning = toRememberedReasoning(emitted, choice.message.extra, choice.message.reasoningContent);
    if (reasoning !== undefined) memory.remember(scope, reasoning);
  }
}
