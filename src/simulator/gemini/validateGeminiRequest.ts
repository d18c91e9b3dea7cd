import { SimulatorRequestError } from '../simulatorRequestError.js';
import { geminiModelFamily } from './geminiModelFamily.js';
import { isValidThoughtSignature } from './simulatedThoughtSignature.js';

type Json = Record<string, unknown>;

/** The checked request: the fields the simulator reads, everything else accepted and ignored. */
export interface GeminiRequestBody {
  contents: Json[];
  systemInstruction?: Json;
  tools?: Json[];
  toolConfig?: Json;
  generationConfig?: Json;
}

function invalid(message: string): SimulatorRequestError {
  return new SimulatorRequestError(400, message, { type: 'INVALID_ARGUMENT' });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The 400 INVALID_ARGUMENT answers of the Generative Language API that translators trip over (providers reference
 * §4.2–4.4): empty parts, nameless function responses, empty OBJECT schemas, both thinking budget and level, levels a
 * model does not take, penalties, and Gemini 3 function calls of the current turn without their thought signature.
 */
export function validateGeminiRequest(body: unknown, model: string): GeminiRequestBody {
  if (!isObject(body)) throw invalid('Invalid JSON payload received. Unexpected token.');
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) throw invalid('* GenerateContentRequest.contents: contents is not specified\n');
  contents.forEach((content, index) => validateContent(content, index));
  if (body.systemInstruction !== undefined && !geminiModelFamily(model).systemInstruction) throw invalid(`Developer instruction is not enabled for models/${model}`);
  list(body.tools).forEach((tool, index) => validateTool(tool, index));
  validateToolConfig(body.toolConfig);
  validateGenerationConfig(body.generationConfig, model);
  if (geminiModelFamily(model).generation3) checkSignatures(contents as Json[]);
  return body as unknown as GeminiRequestBody;
}

function validateContent(content: unknown, index: number): void {
  if (!isObject(content)) throw invalid(`Invalid value at 'contents[${index}]' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content)`);
  if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') throw invalid('Please use a valid role: user, model.');
  const parts = content.parts;
  if (!Array.isArray(parts) || parts.length === 0) throw invalid(`* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.\n`);
  parts.forEach((part, partIndex) => {
    const where = `contents[${index}].parts[${partIndex}]`;
    if (!isObject(part)) throw invalid(`Invalid value at '${where}' (type.googleapis.com/google.ai.generativelanguage.v1beta.Part)`);
    const call = part.functionCall;
    if (call !== undefined) {
      if (!isObject(call) || typeof call.name !== 'string' || call.name === '') throw invalid(`* GenerateContentRequest.${where}.function_call.name: Name cannot be empty.\n`);
      if (call.args !== undefined && !isObject(call.args)) throw invalid(`Invalid value at '${where}.function_call.args' (type.googleapis.com/google.protobuf.Struct)`);
    }
    const response = part.functionResponse;
    if (response !== undefined) {
      if (!isObject(response) || typeof response.name !== 'string' || response.name === '') throw invalid(`* GenerateContentRequest.${where}.function_response.name: Name cannot be empty.\n`);
      if (!isObject(response.response)) throw invalid(`Invalid value at '${where}.function_response.response' (type.googleapis.com/google.protobuf.Struct), ${JSON.stringify(response.response ?? null)}`);
    }
    const inline = part.inlineData;
    if (inline !== undefined && (!isObject(inline) || typeof inline.mimeType !== 'string' || typeof inline.data !== 'string')) {
      throw invalid(`* GenerateContentRequest.${where}.inline_data: mime_type and data must be set.\n`);
    }
  });
}

function validateTool(tool: unknown, index: number): void {
  if (!isObject(tool)) return;
  list(tool.functionDeclarations).forEach((declaration, position) => {
    const where = `tools[${index}].function_declarations[${position}]`;
    if (!isObject(declaration) || typeof declaration.name !== 'string' || declaration.name === '') throw invalid(`* GenerateContentRequest.${where}.name: Name cannot be empty.\n`);
    if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
      throw invalid(`* GenerateContentRequest.${where}: parameters and parameters_json_schema are mutually exclusive.\n`);
    }
    if (isObject(declaration.parametersJsonSchema) && '$schema' in declaration.parametersJsonSchema) {
      throw invalid(`Invalid JSON payload received. Unknown name "$schema" at '${where}.parameters_json_schema': Cannot find field.`);
    }
    for (const field of ['parameters', 'parametersJsonSchema'] as const) {
      const schema = declaration[field];
      if (isObject(schema)) checkObjectSchemas(schema, `${where}.parameters`);
    }
  });
}

/** Gemini: "properties: should be non-empty for OBJECT type", at any depth. */
function checkObjectSchemas(schema: Json, where: string): void {
  const type = typeof schema.type === 'string' ? schema.type.toUpperCase() : undefined;
  if (isObject(schema.properties)) {
    if (Object.keys(schema.properties).length === 0 && (type === 'OBJECT' || type === undefined)) {
      throw invalid(`* GenerateContentRequest.${where}.properties: should be non-empty for OBJECT type\n`);
    }
    for (const [name, property] of Object.entries(schema.properties)) if (isObject(property)) checkObjectSchemas(property, `${where}.properties[${name}].value`);
  }
  if (isObject(schema.items)) checkObjectSchemas(schema.items, `${where}.items`);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    list(schema[key]).forEach((item, index) => {
      if (isObject(item)) checkObjectSchemas(item, `${where}.${key}[${index}]`);
    });
  }
}

function validateToolConfig(toolConfig: unknown): void {
  if (!isObject(toolConfig) || !isObject(toolConfig.functionCallingConfig)) return;
  const { mode, allowedFunctionNames } = toolConfig.functionCallingConfig;
  if (mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED'].includes(String(mode))) {
    throw invalid(`Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), "${String(mode)}"`);
  }
  if (allowedFunctionNames !== undefined && mode !== 'ANY' && mode !== 'VALIDATED') {
    throw invalid('* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: allowed_function_names may only be set when mode is ANY or VALIDATED.\n');
  }
}

function validateGenerationConfig(config: unknown, model: string): void {
  if (!isObject(config)) return;
  const family = geminiModelFamily(model);
  if ((config.presencePenalty !== undefined || config.frequencyPenalty !== undefined) && !family.penalties) throw invalid(`Penalty is not enabled for models/${model}`);
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    throw invalid('* GenerateContentRequest.generation_config: response_schema and response_json_schema are mutually exclusive.\n');
  }
  const thinking = config.thinkingConfig;
  if (!isObject(thinking)) return;
  if (!family.thinks) throw invalid(`Thinking is not enabled for models/${model}`);
  const { thinkingBudget: budget, thinkingLevel: level } = thinking;
  if (budget !== undefined && level !== undefined) throw invalid('You can only set one of thinking budget and thinking level.');
  if (level !== undefined) {
    const upper = String(level).toUpperCase();
    if (family.levels.length === 0) throw invalid(`Thinking level is not supported for models/${model}.`);
    if (!family.levels.includes(upper)) throw invalid(`Thinking level ${upper} is not supported for models/${model}. Supported levels: ${family.levels.join(', ')}.`);
  }
  if (budget === 0 && family.alwaysThinks) throw invalid('Budget 0 is invalid. This model only works in thinking mode.');
}

/**
 * Gemini 3 checks the function calls of the current turn (the steps after the last user message that is not only
 * function responses): the first functionCall of each step must carry the signature Gemini sent with it.
 */
function checkSignatures(contents: Json[]): void {
  let turnStart = 0;
  contents.forEach((content, index) => {
    const parts = list(content.parts) as Json[];
    if (content.role !== 'model' && parts.some((part) => part.functionResponse === undefined)) turnStart = index + 1;
  });
  for (let index = turnStart; index < contents.length; index++) {
    const content = contents[index] as Json;
    if (content.role !== 'model') continue;
    const parts = list(content.parts) as Json[];
    const position = parts.findIndex((part) => part.functionCall !== undefined);
    const first = parts[position];
    if (first === undefined) continue;
    const name = (first.functionCall as Json).name as string;
    const signature = first.thoughtSignature;
    if (typeof signature !== 'string' || signature === '') {
      throw invalid(
        `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      );
    }
    if (!isValidThoughtSignature(signature)) throw invalid(`Corrupted thought signature. Function call \`default_api:${name}\` in the ${index + 1}. content block.`);
  }
}
