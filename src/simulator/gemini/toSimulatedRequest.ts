import type { SimulatedRequestBody } from '../planCompletion.js';
import type { GeminiRequestBody } from './validateGeminiRequest.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function partsOf(content: Json | undefined): Json[] {
  return Array.isArray(content?.parts) ? (content.parts as unknown[]).filter(isObject) : [];
}

/** A Gemini content as the OpenAI-shaped message the shared planner and prompt estimate read. */
function toMessage(content: Json): Json {
  const parts = partsOf(content);
  const text = parts.filter((part) => typeof part.text === 'string' && part.thought !== true).map((part) => ({ type: 'text', text: part.text }));
  if (content.role === 'model') {
    const calls = parts
      .filter((part) => isObject(part.functionCall))
      .map((part) => {
        const call = part.functionCall as Json;
        return { type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) } };
      });
    return calls.length === 0 ? { role: 'assistant', content: text } : { role: 'assistant', content: text, tool_calls: calls };
  }
  const responses = parts.filter((part) => isObject(part.functionResponse));
  // A user turn of only function responses answers tools: the planner then replies with text.
  if (responses.length > 0 && responses.length === parts.length) return { role: 'tool', content: JSON.stringify(responses.map((part) => part.functionResponse)) };
  return { role: 'user', content: text };
}

/** `toolConfig.functionCallingConfig` as an OpenAI `tool_choice`. */
function toolChoice(toolConfig: Json | undefined): unknown {
  const config = isObject(toolConfig?.functionCallingConfig) ? (toolConfig.functionCallingConfig as Json) : undefined;
  const names = Array.isArray(config?.allowedFunctionNames) ? (config.allowedFunctionNames as unknown[]).filter((name): name is string => typeof name === 'string') : [];
  switch (config?.mode) {
    case 'NONE':
      return 'none';
    case 'ANY':
    case 'VALIDATED':
      if (names.length === 1) return { type: 'function', function: { name: names[0] } };
      if (names.length > 1) return { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: names.map((name) => ({ type: 'function', function: { name } })) } };
      return 'required';
    default:
      return 'auto';
  }
}

/**
 * The Gemini request as the fields the shared planner reads (tools, tool choice, candidates, stop, limits, JSON
 * output, logprobs), so one behaviour engine serves every protocol.
 */
export function toSimulatedRequest(body: GeminiRequestBody, model: string): SimulatedRequestBody {
  const messages: Json[] = [];
  const system = partsOf(body.systemInstruction).filter((part) => typeof part.text === 'string');
  if (system.length > 0) messages.push({ role: 'system', content: system.map((part) => ({ type: 'text', text: part.text })) });
  for (const content of body.contents) messages.push(toMessage(content));
  const tools = (body.tools ?? []).flatMap((tool) => (Array.isArray(tool.functionDeclarations) ? (tool.functionDeclarations as unknown[]).filter(isObject) : []));
  const config = body.generationConfig ?? {};
  const request: SimulatedRequestBody = {
    model,
    messages,
    tools: tools.map((declaration) => ({ type: 'function', function: { name: declaration.name, parameters: declaration.parametersJsonSchema ?? declaration.parameters } })),
    tool_choice: toolChoice(body.toolConfig),
    n: config.candidateCount,
    stop: config.stopSequences,
    max_completion_tokens: config.maxOutputTokens,
  };
  if (config.responseLogprobs === true) {
    request.logprobs = true;
    request.top_logprobs = config.logprobs;
  }
  if (config.responseMimeType === 'application/json') {
    const schema = config.responseJsonSchema ?? config.responseSchema;
    request.response_format = isObject(schema) ? { type: 'json_schema', json_schema: { name: 'response', schema } } : { type: 'json_object' };
  }
  return request;
}
