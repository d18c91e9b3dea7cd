import type { ToolCall } from '../../core/chatMessage.js';
import { invalidParameter, missingParameter } from '../../core/gatewayError.js';
import { describeValue, expectNonEmptyString, isRecord, requireRecord, requireString } from './valueChecks.js';

/**
 * Checks an assistant message's `tool_calls` items (`{id, type: "function", function: {name, arguments}}`)
 * and records their ids in `ids`. Items are kept as sent, unknown fields (provider signatures) included.
 */
export function validateToolCalls(calls: readonly unknown[], param: string, ids: Set<string>): void {
  for (let k = 0; k < calls.length; k++) {
    const path = `${param}[${k}]`;
    const call = calls[k];
    if (!isRecord(call)) throw invalidParameter(path, `'${path}' must be a tool call object, got ${describeValue(call)}.`);
    if (call.id === undefined) throw missingParameter(`${path}.id`);
    const id = expectNonEmptyString(call.id, `${path}.id`);
    if (call.type !== 'function') {
      if (call.type === undefined) throw missingParameter(`${path}.type`);
      throw invalidParameter(`${path}.type`, `'${path}.type' must be 'function', got ${describeValue(call.type)}.`);
    }
    validateFunctionCall(call.function, `${path}.function`);
    ids.add(id);
  }
}

/**
 * `{name: string, arguments: string}` (a tool call's `function`, or a legacy assistant `function_call`);
 * returns the caller's object, other fields included.
 */
export function validateFunctionCall(value: unknown, param: string): ToolCall['function'] {
  const fn = requireRecord(value, param);
  requireString(fn.name, `${param}.name`);
  requireString(fn.arguments, `${param}.arguments`);
  return fn as ToolCall['function'];
}
