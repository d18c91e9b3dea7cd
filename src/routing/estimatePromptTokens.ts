import type { ChatRequest } from '../core/chatRequest.js';

const CHARACTERS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_IMAGE = 800;

/** A cheap upper-side estimate of prompt tokens (no tokenizer on the hot path). */
export function estimatePromptTokens(request: ChatRequest): number {
  let characters = 0;
  let extraTokens = 0;
  for (const message of request.messages) {
    extraTokens += TOKENS_PER_MESSAGE;
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') characters += part.text.length;
        else if (part.type === 'image_url') extraTokens += TOKENS_PER_IMAGE;
        else if (part.type === 'refusal') characters += part.refusal.length;
      }
    }
    if (message.role === 'assistant') {
      // Reasoning echoed back (or restored) goes upstream to the providers that take it: count it, as an upper-side estimate should.
      if (message.reasoning_content !== undefined) characters += message.reasoning_content.length;
      if (message.tool_calls !== undefined) for (const call of message.tool_calls) characters += call.function.name.length + call.function.arguments.length;
    }
  }
  if (request.params.tools !== undefined) characters += JSON.stringify(request.params.tools).length;
  return Math.ceil(characters / CHARACTERS_PER_TOKEN) + extraTokens;
}
