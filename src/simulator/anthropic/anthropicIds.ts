import type { SimulatorIds } from '../simulatorIds.js';

/** Anthropic-looking ids (`msg_01…`, `toolu_01…`) derived from the simulator's unique OpenAI-style ones. */
export function anthropicIds(ids: SimulatorIds): SimulatorIds {
  // The last 22 characters hold the unique counter suffix, so the derived ids stay unique.
  return {
    completionId: () => `msg_01${ids.completionId().slice(-22)}`,
    toolCallId: () => `toolu_01${ids.toolCallId().slice(-22)}`,
    requestId: () => ids.requestId(),
  };
}
