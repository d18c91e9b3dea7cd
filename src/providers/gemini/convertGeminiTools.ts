import type { ChatParameters } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import { cleanGeminiSchema, declaresNoArguments } from './cleanGeminiSchema.js';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './geminiWire.js';

export interface GeminiTools {
  tools: GeminiTool[] | undefined;
  toolConfig: GeminiToolConfig | undefined;
}

/**
 * `tools`, `tool_choice`, `parallel_tool_calls` and `web_search_options` → Gemini `tools` and `toolConfig`
 * (providers reference §4.2): every function in ONE `functionDeclarations` list, with `parametersJsonSchema`.
 */
export function convertGeminiTools(params: ChatParameters, warnings: Warning[]): GeminiTools {
  const tools: GeminiTool[] = [];
  const declarations = (params.tools ?? []).map((tool, index): GeminiFunctionDeclaration => {
    const fn = tool.function;
    const declaration: GeminiFunctionDeclaration = { name: fn.name };
    if (fn.description !== undefined && fn.description !== '') declaration.description = fn.description;
    // Gemini rejects an object schema without properties: a function without arguments has no schema at all.
    if (!declaresNoArguments(fn.parameters) && fn.parameters !== undefined) {
      declaration.parametersJsonSchema = cleanGeminiSchema(fn.parameters, `tools[${index}].function.parameters`, warnings);
    }
    return declaration;
  });
  if (declarations.length > 0) tools.push({ functionDeclarations: declarations });

  let toolConfig: GeminiToolConfig | undefined;
  if (declarations.length > 0) {
    const choice = params.tool_choice;
    if (choice === 'none') toolConfig = { functionCallingConfig: { mode: 'NONE' } };
    else if (choice === 'required') toolConfig = { functionCallingConfig: { mode: 'ANY' } };
    else if (typeof choice === 'object') toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
    else toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
    if (params.parallel_tool_calls === false) {
      warnings.push({
        code: 'unsupported_parameter',
        param: 'parallel_tool_calls',
        message: "'parallel_tool_calls' was dropped: Gemini cannot be told to call one tool at a time and may return several calls.",
      });
    }
  }

  const search = params.web_search_options;
  if (search !== undefined) {
    tools.push({ googleSearch: {} });
    if (Object.keys(search).length > 0) {
      warnings.push({
        code: 'unsupported_parameter',
        param: 'web_search_options',
        message: "'web_search_options' was sent as Gemini's googleSearch tool, which takes no options; its fields were dropped.",
      });
    }
  }
  return { tools: tools.length === 0 ? undefined : tools, toolConfig };
}
