import type { SimulatedRequestBody } from '../planCompletion.js';
import type { AnthropicBlockParam, AnthropicRequest } from './validateAnthropicRequest.js';

function textOf(blocks: AnthropicBlockParam[] | string | undefined): string {
  if (typeof blocks === 'string') return blocks;
  return (blocks ?? []).map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

/**
 * A Messages API request in the shape the behaviour engine (planCompletion) reads: the same tool choices, limits,
 * stop strings and JSON schema, and an OpenAI-like transcript for the deterministic prompt-token estimate
 * (tool results become `tool` messages, so a turn that only answers tools is answered in text).
 */
export function toSimulatedRequest(request: AnthropicRequest): SimulatedRequestBody {
  const messages: unknown[] = [];
  const system = textOf(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      const calls = message.content
        .filter((block) => block.type === 'tool_use')
        .map((block) => ({ type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } }));
      messages.push({ role: 'assistant', content: textOf(message.content), ...(calls.length > 0 ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const block of message.content) {
      if (block.type === 'tool_result') messages.push({ role: 'tool', content: textOf(block.content as AnthropicBlockParam[] | string | undefined) });
    }
    const rest = message.content.filter((block) => block.type !== 'tool_result');
    if (rest.length > 0) messages.push({ role: 'user', content: textOf(rest) });
  }

  const tools = request.tools
    .filter((tool) => tool.input_schema !== undefined)
    .map((tool) => ({ type: 'function', function: { name: tool.name, parameters: tool.input_schema } }));
  const choice = request.tool_choice;
  const simulated: SimulatedRequestBody = {
    model: request.model,
    messages,
    stream: request.stream,
    tools,
    // max_tokens 0 (cache pre-warm) is not a positive limit for the engine; it then answers unbounded.
    max_tokens: request.max_tokens > 0 ? request.max_tokens : undefined,
    stop: request.stop_sequences,
  };
  if (choice !== undefined) {
    simulated.tool_choice = choice.type === 'any' ? 'required' : choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
    if (choice.type !== 'none' && choice.disable_parallel_tool_use === true) simulated.parallel_tool_calls = false;
  }
  if (request.jsonSchema !== undefined) simulated.response_format = { type: 'json_schema', json_schema: { schema: request.jsonSchema } };
  return simulated;
}
