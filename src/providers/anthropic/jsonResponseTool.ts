import type { ChatRequest } from '../../core/chatRequest.js';

/**
 * JSON mode on Anthropic without native structured outputs (§3.1): a forced tool whose input is the answer.
 * Everything here is derived from the request alone, so the response side can recognise and undo the emulation
 * without knowing which model served it.
 */
export interface JsonResponseTool {
  name: string;
  description: string;
  /** The tool's `input_schema` (always an object schema). */
  inputSchema: Record<string, unknown>;
  /** The client's schema is not an object: it was wrapped as `{value: schema}` and the answer is `input.value`. */
  wrapped: boolean;
}

const BASE_NAME = 'json_response';

/** LiteLLM notes `properties: null` is a 400, so the permissive schema names an empty object. */
const ANY_OBJECT = { type: 'object', additionalProperties: true, properties: {} };

/** The emulation tool for the request's `response_format`, or undefined when it asks for no JSON. */
export function jsonResponseTool(request: ChatRequest): JsonResponseTool | undefined {
  const format = request.params.response_format;
  if (format === undefined || format.type === 'text') return undefined;
  const name = freeName(request);
  if (format.type === 'json_object') {
    return { name, description: 'Answer with a single JSON object.', inputSchema: ANY_OBJECT, wrapped: false };
  }
  const schema = format.json_schema.schema ?? ANY_OBJECT;
  const wrapped = schema.type !== 'object';
  const description = format.json_schema.description ?? `Answer with JSON matching the '${format.json_schema.name}' schema.`;
  const inputSchema = wrapped ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema;
  return { name, description, inputSchema, wrapped };
}

/** The answer text from the emulation tool's input (the input itself, or its `value` when wrapped). */
export function jsonFromToolInput(tool: JsonResponseTool, input: unknown): string {
  const value = tool.wrapped && input !== null && typeof input === 'object' ? (input as Record<string, unknown>).value : input;
  return JSON.stringify(value ?? {});
}

/** A name no client tool uses, so a call to it can only be the emulation. */
function freeName(request: ChatRequest): string {
  const taken = new Set((request.params.tools ?? []).map((tool) => tool.function.name));
  let name = BASE_NAME;
  for (let suffix = 2; taken.has(name); suffix++) name = `${BASE_NAME}_${suffix}`;
  return name;
}
