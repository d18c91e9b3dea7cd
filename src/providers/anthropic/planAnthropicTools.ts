import type { FunctionTool } from '../../core/chatMessage.js';
import type { ChatParameters } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { AnthropicModelInfo } from './anthropicModels.js';
import type { AnthropicTool, AnthropicToolChoice } from './anthropicWire.js';
import type { JsonResponseTool } from './jsonResponseTool.js';

export interface AnthropicToolsPlan {
  tools: AnthropicTool[] | undefined;
  toolChoice: AnthropicToolChoice | undefined;
}

export interface ToolInputs {
  params: ChatParameters;
  info: AnthropicModelInfo;
  /** The JSON-mode emulation tool, when this request uses one. */
  jsonTool: JsonResponseTool | undefined;
  /** Tools called earlier in the conversation. */
  historyToolNames: string[];
  warnings: Warning[];
}

/**
 * `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic's `tools` and `tool_choice` (§3.1): schemas become
 * `input_schema` with an object root, every tool_choice form maps, `parallel_tool_calls: false` becomes
 * `disable_parallel_tool_use`. JSON-mode emulation adds its tool and forces a tool call.
 */
export function planAnthropicTools(inputs: ToolInputs): AnthropicToolsPlan {
  const { params, jsonTool, warnings } = inputs;
  const clientTools = params.tools ?? [];
  const tools = clientTools.map((tool) => toAnthropicTool(tool, inputs.info, warnings));
  if (jsonTool !== undefined) tools.push({ name: jsonTool.name, description: jsonTool.description, input_schema: jsonTool.inputSchema });

  if (tools.length === 0) {
    if (inputs.historyToolNames.length === 0) return { tools: undefined, toolChoice: undefined };
    // Anthropic refuses a history with tool_use blocks unless tools are defined; these stubs cannot be called.
    warnings.push({
      code: 'unsupported_parameter',
      param: 'tools',
      message: `Anthropic needs the tools used earlier in the conversation to be defined; stub definitions of ${inputs.historyToolNames.map((name) => `'${name}'`).join(', ')} were sent with tool_choice none.`,
    });
    return { tools: inputs.historyToolNames.map((name) => ({ name, input_schema: { type: 'object', properties: {} } })), toolChoice: { type: 'none' } };
  }

  let choice = clientChoice(params);
  if (jsonTool !== undefined) {
    if (choice?.type === 'tool') {
      warnings.push({ code: 'unsupported_parameter', param: 'response_format', message: "JSON output cannot be enforced while 'tool_choice' names a tool; the named tool was kept." });
    } else {
      choice = clientTools.length === 0 || choice?.type === 'none' ? { type: 'tool', name: jsonTool.name } : { type: 'any' };
    }
  }
  if (params.parallel_tool_calls === false && choice?.type !== 'none') choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return { tools, toolChoice: choice };
}

/** Whether a tool choice makes the model call a tool (`any` / `tool`), which thinking does not allow. */
export function isForcedToolChoice(choice: AnthropicToolChoice | undefined): boolean {
  return choice?.type === 'any' || choice?.type === 'tool';
}

/** The same choice without the force: the model may then answer in text. */
export function unforcedToolChoice(choice: AnthropicToolChoice): AnthropicToolChoice {
  if (choice.type !== 'any' && choice.type !== 'tool') return choice;
  return choice.disable_parallel_tool_use === true ? { type: 'auto', disable_parallel_tool_use: true } : { type: 'auto' };
}

function clientChoice(params: ChatParameters): AnthropicToolChoice | undefined {
  const choice = params.tool_choice;
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.function.name };
}

function toAnthropicTool(tool: FunctionTool, info: AnthropicModelInfo, warnings: Warning[]): AnthropicTool {
  const fn = tool.function;
  const result: AnthropicTool = { name: fn.name, input_schema: inputSchema(fn.parameters) };
  if (fn.description !== undefined) result.description = fn.description;
  if (fn.strict === true) {
    if (info.structuredOutputs) result.strict = true;
    else warnings.push({ code: 'unsupported_parameter', param: `tools.${fn.name}.strict`, message: `This model has no strict tool schemas; 'strict' on tool '${fn.name}' was dropped.` });
  }
  if (tool.cache_control !== undefined) result.cache_control = tool.cache_control;
  // Key order as Anthropic documents it: name, description, input_schema.
  const { name, description, input_schema: schema, ...rest } = result;
  return { name, ...(description === undefined ? {} : { description }), input_schema: schema, ...rest };
}

/** Anthropic needs an object schema at the root; a tool without parameters takes an empty object. */
function inputSchema(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  if (parameters === undefined) return { type: 'object', properties: {} };
  if (parameters.type === undefined) return { type: 'object', ...parameters };
  return parameters;
}
