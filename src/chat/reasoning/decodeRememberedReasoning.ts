import type { RememberedReasoning, RememberedToolCall } from './rememberedReasoning.js';

/** A stored entry read back (it may come from another instance or an older version): undefined unless well formed. */
export function decodeRememberedReasoning(json: string): RememberedReasoning | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.fields) || !Array.isArray(parsed.toolCalls) || parsed.toolCalls.length === 0) return undefined;
  const toolCalls: RememberedToolCall[] = [];
  for (const item of parsed.toolCalls as unknown[]) {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.name !== 'string') return undefined;
    const call: RememberedToolCall = { id: item.id, name: item.name };
    if (item.fields !== undefined) {
      if (!isRecord(item.fields)) return undefined;
      call.fields = item.fields;
    }
    toolCalls.push(call);
  }
  return { toolCalls, fields: parsed.fields };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
