import type { FunctionTool, ToolChoice } from '../../core/chatMessage.js';
import { invalidParameter } from '../../core/gatewayError.js';
import { requireTool, validateFunctionDefinition } from './validateTools.js';
import { describeValue, expectArray, isRecord } from './valueChecks.js';

/** [legacy] `functions: [{name, description?, parameters?}]` → `tools`; each definition object is reused as is. */
export function convertLegacyFunctions(value: unknown): FunctionTool[] {
  const functions = expectArray(value, 'functions');
  if (functions.length === 0) throw invalidParameter('functions', "'functions' must contain at least one function.");
  const names = new Set<string>();
  const tools: FunctionTool[] = [];
  for (let i = 0; i < functions.length; i++) {
    const fn = functions[i];
    if (!isRecord(fn)) throw invalidParameter(`functions[${i}]`, `'functions[${i}]' must be a function object, got ${describeValue(fn)}.`);
    tools.push({ type: 'function', function: validateFunctionDefinition(fn, `functions[${i}]`, names) });
  }
  return tools;
}

/** [legacy] `function_call: "none" | "auto" | {name}` → `tool_choice`; a named function must be in `tools`. */
export function convertLegacyFunctionCall(value: unknown, tools: readonly FunctionTool[] | undefined): ToolChoice {
  if (value === 'none' || value === 'auto') return value;
  if (isRecord(value) && typeof value.name === 'string') {
    requireTool(tools, value.name, 'function_call');
    return { type: 'function', function: { name: value.name } };
  }
  throw invalidParameter('function_call', `'function_call' must be 'none', 'auto' or {name}, got ${describeValue(value)}.`);
}
