import type { FunctionTool, ToolChoice } from '../../core/chatMessage.js';
import { invalidParameter, missingParameter } from '../../core/gatewayError.js';
import { validateCacheControl } from './validateContent.js';
import { describeValue, expectArray, expectBoolean, expectRecord, expectString, isRecord, requireRecord, requireString } from './valueChecks.js';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A function name as OpenAI allows it: 1 to 64 of `a-z A-Z 0-9 _ -`. */
export function validateToolName(value: unknown, param: string): string {
  const name = requireString(value, param);
  if (!TOOL_NAME.test(name)) {
    throw invalidParameter(param, `'${param}' must be 1 to 64 characters of a-z, A-Z, 0-9, '_' or '-', got ${describeValue(name)}.`);
  }
  return name;
}

/**
 * `tools`: `{type: "function", function: {name, description?, parameters?, strict?}}` with unique names.
 * Returns the caller's array; unknown fields (`cache_control` included) are kept.
 */
export function validateTools(value: unknown): FunctionTool[] {
  const tools = expectArray(value, 'tools');
  if (tools.length === 0) throw invalidParameter('tools', "'tools' must contain at least one tool.");
  const names = new Set<string>();
  for (let i = 0; i < tools.length; i++) {
    const param = `tools[${i}]`;
    const tool = tools[i];
    if (!isRecord(tool)) throw invalidParameter(param, `'${param}' must be a tool object, got ${describeValue(tool)}.`);
    if (tool.type !== 'function') {
      if (tool.type === undefined) throw missingParameter(`${param}.type`);
      throw invalidParameter(`${param}.type`, `'${param}.type' must be 'function', got ${describeValue(tool.type)}.`);
    }
    validateFunctionDefinition(tool.function, `${param}.function`, names);
    if (tool.cache_control !== undefined) validateCacheControl(tool.cache_control, `${param}.cache_control`);
  }
  return tools as FunctionTool[];
}

/** `{name, description?, parameters?, strict?}`, for a tool's `function` and for a legacy `functions` item. */
export function validateFunctionDefinition(value: unknown, param: string, names: Set<string>): FunctionTool['function'] {
  const fn = requireRecord(value, param);
  const name = validateToolName(fn.name, `${param}.name`);
  if (names.has(name)) throw invalidParameter(`${param}.name`, `'${param}.name': the function name ${describeValue(name)} is used more than once.`);
  names.add(name);
  if (fn.description !== undefined) expectString(fn.description, `${param}.description`);
  if (fn.parameters !== undefined) expectRecord(fn.parameters, `${param}.parameters`);
  if (fn.strict !== undefined) expectBoolean(fn.strict, `${param}.strict`);
  return fn as FunctionTool['function'];
}

/** `"auto" | "required" | "none" | {type: "function", function: {name}}`; a named tool must be in `tools`. */
export function validateToolChoice(value: unknown, tools: readonly FunctionTool[] | undefined): ToolChoice {
  if (value === 'auto' || value === 'none') return value;
  if (value === 'required') {
    if (tools === undefined) throw invalidParameter('tool_choice', "'tool_choice' is 'required' but the request has no 'tools'.");
    return value;
  }
  if (!isRecord(value)) {
    throw invalidParameter('tool_choice', `'tool_choice' must be 'auto', 'required', 'none' or {type: 'function', function: {name}}, got ${describeValue(value)}.`);
  }
  if (value.type !== 'function') {
    if (value.type === undefined) throw missingParameter('tool_choice.type');
    throw invalidParameter('tool_choice.type', `'tool_choice.type' must be 'function', got ${describeValue(value.type)}.`);
  }
  const fn = requireRecord(value.function, 'tool_choice.function');
  const name = requireString(fn.name, 'tool_choice.function.name');
  requireTool(tools, name, 'tool_choice');
  return value as ToolChoice;
}

/** A tool the caller named (in `tool_choice` or the legacy `function_call`) must be one of `tools`. */
export function requireTool(tools: readonly FunctionTool[] | undefined, name: string, param: string): void {
  if (tools === undefined) throw invalidParameter(param, `'${param}' names the function ${describeValue(name)} but the request has no tools.`);
  if (!tools.some((tool) => tool.function.name === name)) {
    throw invalidParameter(param, `'${param}' names the function ${describeValue(name)}, which is not among the request's tools.`);
  }
}
