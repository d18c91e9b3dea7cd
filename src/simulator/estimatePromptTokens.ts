/** Characters of text in one message's content (string or parts) and tool calls. */
function messageCharacters(message: unknown): number {
  if (typeof message !== 'object' || message === null) return 0;
  const { content, tool_calls: toolCalls } = message as { content?: unknown; tool_calls?: unknown };
  let characters = 0;
  if (typeof content === 'string') {
    characters += content.length;
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === 'object' && part !== null) {
        const text = (part as { text?: unknown; refusal?: unknown }).text ?? (part as { refusal?: unknown }).refusal;
        if (typeof text === 'string') characters += text.length;
      }
    }
  }
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) {
      const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
      if (typeof fn?.name === 'string') characters += fn.name.length;
      if (typeof fn?.arguments === 'string') characters += fn.arguments.length;
    }
  }
  return characters;
}

/**
 * Deterministic prompt-token estimate so tests can predict usage:
 * ceil(message text characters / 4) + 3 per message + ceil(tools JSON length / 4), at least 1.
 */
export function estimatePromptTokens(messages: readonly unknown[], tools: unknown): number {
  let characters = 0;
  for (const message of messages) characters += messageCharacters(message);
  let tokens = Math.ceil(characters / 4) + 3 * messages.length;
  if (Array.isArray(tools) && tools.length > 0) tokens += Math.ceil(JSON.stringify(tools).length / 4);
  return Math.max(1, tokens);
}
