import { SimulatorRequestError } from '../simulatorRequestError.js';
import { isValidThinkingSignature } from './thinkingSignature.js';

export interface AnthropicBlockParam {
  type: string;
  [field: string]: unknown;
}

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  /** String content is read as one text block. */
  content: AnthropicBlockParam[];
}

export interface AnthropicToolParam {
  name: string;
  /** Absent on server tools (`web_search_20250305`…), which the simulator never calls. */
  input_schema: Record<string, unknown> | undefined;
}

export type AnthropicToolChoiceParam = { type: 'auto' | 'any' | 'none'; disable_parallel_tool_use?: boolean } | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean };

export interface AnthropicThinkingParam {
  type: 'enabled' | 'disabled' | 'adaptive';
  budget_tokens?: number;
  display?: 'summarized' | 'omitted';
}

/** A Messages API request as the simulator reads it, after Anthropic's checks. */
export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  system: AnthropicBlockParam[];
  messages: AnthropicMessageParam[];
  stream: boolean;
  tools: AnthropicToolParam[];
  tool_choice: AnthropicToolChoiceParam | undefined;
  thinking: AnthropicThinkingParam | undefined;
  /** `output_config.format.schema`, when a JSON schema was asked for. */
  jsonSchema: Record<string, unknown> | undefined;
  stop_sequences: string[];
}

const TOP_LEVEL = new Set([
  'model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream', 'temperature', 'top_p', 'top_k', 'tools',
  'tool_choice', 'thinking', 'output_config', 'service_tier', 'container', 'inference_geo', 'cache_control', 'context_management', 'mcp_servers',
]);
const USER_BLOCKS = new Set(['text', 'image', 'document', 'tool_result', 'search_result']);
const ASSISTANT_BLOCKS = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result']);
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
const MAX_CACHE_BREAKPOINTS = 4;
const MIN_BUDGET = 1024;
const DOCS = 'Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

function fail(message: string): never {
  throw new SimulatorRequestError(400, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined) fail(`${path}: Field required`);
  if (!isObject(value)) fail(`${path}: Input should be an object`);
  return value;
}

function requireString(value: unknown, path: string): string {
  if (value === undefined) fail(`${path}: Field required`);
  if (typeof value !== 'string') fail(`${path}: Input should be a valid string`);
  return value;
}

function optionalNumber(value: unknown, path: string, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) fail(`${path}: Input should be a valid ${integer ? 'integer' : 'number'}`);
  if (value < min) fail(`${path}: Input should be greater than or equal to ${min}`);
  if (value > max) fail(`${path}: Input should be less than or equal to ${max}`);
  return value;
}

/** Counts `cache_control` markers and checks their shape. */
class CacheMarkers {
  count = 0;

  visit(holder: Record<string, unknown>, path: string, allowed = true): void {
    const value = holder.cache_control;
    if (value === undefined || value === null) return;
    if (!allowed) fail(`${path}.cache_control: Extra inputs are not permitted`);
    const control = requireObject(value, `${path}.cache_control`);
    if (control.type !== 'ephemeral') fail(`${path}.cache_control.type: Input should be 'ephemeral'`);
    if (control.ttl !== undefined && control.ttl !== '5m' && control.ttl !== '1h') fail(`${path}.cache_control.ttl: Input should be '5m' or '1h'`);
    this.count++;
  }
}

/** The checks (and close to the messages) Anthropic's Messages API applies before generating. */
export function validateAnthropicRequest(body: unknown): AnthropicRequest {
  if (!isObject(body)) fail('There was an error parsing the body of your request: it must be a JSON object.');
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) fail(`${key}: Extra inputs are not permitted`);
  const model = requireString(body.model, 'model');
  if (model === '') fail('model: String should have at least 1 character');
  if (body.max_tokens === undefined) fail('max_tokens: Field required');
  const maxTokens = optionalNumber(body.max_tokens, 'max_tokens', 0, Number.MAX_SAFE_INTEGER, true) as number;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') fail('stream: Input should be a valid boolean');
  const temperature = optionalNumber(body.temperature, 'temperature', 0, 1);
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  const topK = optionalNumber(body.top_k, 'top_k', 0, Number.MAX_SAFE_INTEGER, true);
  if (body.metadata !== undefined) {
    const metadata = requireObject(body.metadata, 'metadata');
    for (const key of Object.keys(metadata)) if (key !== 'user_id') fail(`metadata.${key}: Extra inputs are not permitted`);
    if (metadata.user_id !== undefined && metadata.user_id !== null) requireString(metadata.user_id, 'metadata.user_id');
  }
  if (body.service_tier !== undefined && body.service_tier !== 'auto' && body.service_tier !== 'standard_only') fail("service_tier: Input should be 'auto' or 'standard_only'");

  const markers = new CacheMarkers();
  const tools = readTools(body.tools, markers);
  const system = readSystem(body.system, markers);
  const messages = readMessages(body.messages, markers);
  const toolChoice = readToolChoice(body.tool_choice, tools);
  const thinking = readThinking(body.thinking, maxTokens);
  const jsonSchema = readOutputConfig(body.output_config);
  const stopSequences = readStopSequences(body.stop_sequences);
  if (markers.count > MAX_CACHE_BREAKPOINTS) fail(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${markers.count}.`);

  const usesTools = messages.some((message) => message.content.some((block) => block.type === 'tool_use' || block.type === 'tool_result'));
  if (usesTools && tools.length === 0) fail('Requests which include `tool_use` or `tool_result` blocks must define tools.');

  if (thinking !== undefined && thinking.type !== 'disabled') {
    if (temperature !== undefined && temperature !== 1) fail(`\`temperature\` may only be set to 1 when thinking is enabled. ${DOCS}#feature-compatibility`);
    if (topK !== undefined) fail(`\`top_k\` must be unset when thinking is enabled. ${DOCS}#feature-compatibility`);
    if (topP !== undefined && topP < 0.95) fail(`\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. ${DOCS}#feature-compatibility`);
    if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') fail(`Thinking may not be enabled when tool_choice forces tool use. ${DOCS}#extended-thinking-with-tool-use`);
    if (messages.at(-1)?.role === 'assistant') fail(`Prefilling the assistant message is not supported when thinking is enabled. ${DOCS}#feature-compatibility`);
  }

  return {
    model,
    max_tokens: maxTokens,
    system,
    messages,
    stream: body.stream === true,
    tools,
    tool_choice: toolChoice,
    thinking,
    jsonSchema,
    stop_sequences: stopSequences,
  };
}

function readSystem(value: unknown, markers: CacheMarkers): AnthropicBlockParam[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  if (!Array.isArray(value)) fail('system: Input should be a valid string or a list of text blocks');
  return value.map((item: unknown, index) => {
    const path = `system.${index}`;
    const block = requireObject(item, path);
    if (block.type !== 'text') fail(`${path}.type: Input should be 'text'`);
    if (requireString(block.text, `${path}.text`) === '') fail('system: text content blocks must be non-empty');
    markers.visit(block, path);
    return block as AnthropicBlockParam;
  });
}

function readTools(value: unknown, markers: CacheMarkers): AnthropicToolParam[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('tools: Input should be a valid list');
  const names = new Set<string>();
  return value.map((item: unknown, index) => {
    const path = `tools.${index}`;
    const tool = requireObject(item, path);
    const name = requireString(tool.name, `${path}.name`);
    if (!TOOL_NAME.test(name)) fail(`${path}.name: String should match pattern '${TOOL_NAME.source}'`);
    if (names.has(name)) fail('tools: Tool names must be unique.');
    names.add(name);
    markers.visit(tool, path);
    // Server tools carry a versioned type and no schema.
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') return { name, input_schema: undefined };
    const schema = requireObject(tool.input_schema, `${path}.custom.input_schema`);
    if (schema.type !== 'object') fail(`${path}.custom.input_schema.type: Input should be 'object'`);
    if (tool.description !== undefined) requireString(tool.description, `${path}.custom.description`);
    return { name, input_schema: schema };
  });
}

function readToolChoice(value: unknown, tools: AnthropicToolParam[]): AnthropicToolChoiceParam | undefined {
  if (value === undefined) return undefined;
  const choice = requireObject(value, 'tool_choice');
  if (choice.disable_parallel_tool_use !== undefined && typeof choice.disable_parallel_tool_use !== 'boolean') fail('tool_choice.disable_parallel_tool_use: Input should be a valid boolean');
  switch (choice.type) {
    case 'auto':
    case 'any':
    case 'none':
      if (choice.type === 'none' && choice.disable_parallel_tool_use !== undefined) fail('tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted');
      if (choice.type !== 'none' && tools.length === 0) fail('tool_choice may only be specified while providing tools.');
      return choice as AnthropicToolChoiceParam;
    case 'tool': {
      const name = requireString(choice.name, 'tool_choice.tool.name');
      if (!tools.some((tool) => tool.name === name)) fail(`Tool '${name}' not found in provided tools`);
      return choice as AnthropicToolChoiceParam;
    }
    default:
      fail("tool_choice.type: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
  }
}

function readThinking(value: unknown, maxTokens: number): AnthropicThinkingParam | undefined {
  if (value === undefined) return undefined;
  const thinking = requireObject(value, 'thinking');
  if (thinking.display !== undefined && thinking.display !== null && thinking.display !== 'summarized' && thinking.display !== 'omitted') {
    fail(`thinking.${String(thinking.type)}.display: Input should be 'summarized' or 'omitted'`);
  }
  switch (thinking.type) {
    case 'enabled': {
      if (thinking.budget_tokens === undefined) fail('thinking.enabled.budget_tokens: Field required');
      const budget = optionalNumber(thinking.budget_tokens, 'thinking.enabled.budget_tokens', MIN_BUDGET, Number.MAX_SAFE_INTEGER, true) as number;
      if (budget >= maxTokens) fail(`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. ${DOCS}#max-tokens-and-context-window-size`);
      return thinking as unknown as AnthropicThinkingParam;
    }
    case 'adaptive':
      if (thinking.budget_tokens !== undefined) fail('thinking.adaptive.budget_tokens: Extra inputs are not permitted');
      return thinking as unknown as AnthropicThinkingParam;
    case 'disabled':
      return { type: 'disabled' };
    default:
      fail("thinking.type: Input tag does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'");
  }
}

function readOutputConfig(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const config = requireObject(value, 'output_config');
  for (const key of Object.keys(config)) if (key !== 'effort' && key !== 'format') fail(`output_config.${key}: Extra inputs are not permitted`);
  if (config.effort !== undefined && config.effort !== null && !EFFORTS.has(config.effort as string)) {
    fail("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
  }
  if (config.format === undefined || config.format === null) return undefined;
  const format = requireObject(config.format, 'output_config.format');
  if (format.type !== 'json_schema') fail("output_config.format.type: Input should be 'json_schema'");
  return requireObject(format.schema, 'output_config.format.schema');
}

function readStopSequences(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('stop_sequences: Input should be a valid list');
  return value.map((item: unknown, index) => {
    const sequence = requireString(item, `stop_sequences.${index}`);
    if (sequence.trim() === '') fail('stop_sequences: each stop sequence must contain non-whitespace');
    return sequence;
  });
}

function readMessages(value: unknown, markers: CacheMarkers): AnthropicMessageParam[] {
  if (value === undefined) fail('messages: Field required');
  if (!Array.isArray(value)) fail('messages: Input should be a valid list');
  if (value.length === 0) fail('messages: at least one message is required');
  const messages = value.map((item: unknown, index) => readMessage(item, index, index === value.length - 1, markers));
  messages.forEach((message, index) => {
    if (index === 0 && message.role !== 'user') fail('messages: first message must use the "user" role');
    if (index > 0 && messages[index - 1]?.role === message.role) fail(`messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`);
  });
  checkToolPairs(messages);
  const last = messages.at(-1);
  const lastBlock = last?.content.at(-1);
  if (last?.role === 'assistant' && lastBlock?.type === 'text' && typeof lastBlock.text === 'string' && lastBlock.text !== lastBlock.text.trimEnd()) {
    fail('messages: final assistant content cannot end with trailing whitespace');
  }
  return messages;
}

function readMessage(value: unknown, index: number, isLast: boolean, markers: CacheMarkers): AnthropicMessageParam {
  const path = `messages.${index}`;
  const message = requireObject(value, path);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant') fail(`${path}.role: Input should be 'user' or 'assistant'`);
  let content: AnthropicBlockParam[];
  if (typeof message.content === 'string') {
    content = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  } else if (Array.isArray(message.content)) {
    content = message.content.map((block: unknown, position) => readBlock(block, `${path}.content.${position}`, role, markers));
  } else {
    fail(message.content === undefined ? `${path}.content: Field required` : `${path}.content: Input should be a valid string or a list of content blocks`);
  }
  // Only a final assistant turn (a prefill) may be empty.
  if (content.length === 0 && !(isLast && role === 'assistant')) fail(`messages.${index}: all messages must have non-empty content except for the optional final assistant message`);
  return { role, content };
}

function readBlock(value: unknown, path: string, role: 'user' | 'assistant', markers: CacheMarkers): AnthropicBlockParam {
  const block = requireObject(value, path);
  const type = requireString(block.type, `${path}.type`);
  const allowed = role === 'user' ? USER_BLOCKS : ASSISTANT_BLOCKS;
  if (!allowed.has(type)) fail(`${path}.type: Input tag '${type}' found using 'type' does not match any of the expected tags for a ${role} message: ${[...allowed].join(', ')}`);
  switch (type) {
    case 'text':
      if (requireString(block.text, `${path}.text`) === '') fail('messages: text content blocks must be non-empty');
      break;
    case 'image':
      readSource(block.source, `${path}.source`, 'image');
      break;
    case 'document':
      readSource(block.source, `${path}.source`, 'document');
      break;
    case 'tool_result':
      requireString(block.tool_use_id, `${path}.tool_use_id`);
      if (block.content !== undefined && typeof block.content !== 'string') {
        if (!Array.isArray(block.content)) fail(`${path}.content: Input should be a valid string or a list of content blocks`);
        block.content.forEach((nested: unknown, index) => {
          const nestedPath = `${path}.content.${index}`;
          const nestedBlock = readBlock(nested, nestedPath, 'user', markers);
          if (nestedBlock.type === 'tool_result') fail(`${nestedPath}.type: a tool_result cannot contain another tool_result`);
        });
      }
      break;
    case 'tool_use': {
      const id = requireString(block.id, `${path}.id`);
      if (!TOOL_ID.test(id)) fail(`${path}.id: String should match pattern '${TOOL_ID.source}'`);
      requireString(block.name, `${path}.name`);
      requireObject(block.input, `${path}.input`);
      break;
    }
    case 'thinking': {
      const thinking = requireString(block.thinking, `${path}.thinking`);
      const signature = requireString(block.signature, `${path}.signature`);
      markers.visit(block, path, false);
      if (!isValidThinkingSignature(thinking, signature)) fail(`${path}: Invalid \`signature\` in \`thinking\` block`);
      return block as AnthropicBlockParam;
    }
    case 'redacted_thinking':
      requireString(block.data, `${path}.data`);
      markers.visit(block, path, false);
      return block as AnthropicBlockParam;
    default:
      break;
  }
  markers.visit(block, path);
  return block as AnthropicBlockParam;
}

function readSource(value: unknown, path: string, kind: 'image' | 'document'): void {
  const source = requireObject(value, path);
  switch (source.type) {
    case 'base64': {
      const mediaType = requireString(source.media_type, `${path}.media_type`);
      requireString(source.data, `${path}.data`);
      if (kind === 'image' && !IMAGE_TYPES.has(mediaType)) fail(`${path}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
      if (kind === 'document' && mediaType !== 'application/pdf') fail(`${path}.media_type: Input should be 'application/pdf'`);
      return;
    }
    case 'text':
      if (kind !== 'document' || source.media_type !== 'text/plain') fail(`${path}.media_type: Input should be 'text/plain'`);
      requireString(source.data, `${path}.data`);
      return;
    case 'url':
      if (!/^https?:\/\//.test(requireString(source.url, `${path}.url`))) fail(`${path}.url: Input should be a valid URL`);
      return;
    case 'file':
      requireString(source.file_id, `${path}.file_id`);
      return;
    default:
      fail(`${path}.type: Input tag does not match any of the expected tags: 'base64', 'url', 'file'${kind === 'document' ? ", 'text'" : ''}`);
  }
}

/** Every tool_use needs its tool_result in the very next (user) turn, results first; every result answers one. */
function checkToolPairs(messages: AnthropicMessageParam[]): void {
  messages.forEach((message, index) => {
    if (message.role === 'assistant') {
      const uses = message.content.filter((block) => block.type === 'tool_use').map((block) => block.id as string);
      if (uses.length === 0) return;
      const next = messages[index + 1];
      const answered = new Set((next?.content ?? []).filter((block) => block.type === 'tool_result').map((block) => block.tool_use_id));
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        fail(
          `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
            'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
        );
      }
      return;
    }
    const previous = messages[index - 1];
    const uses = new Set((previous?.content ?? []).filter((block) => block.type === 'tool_use').map((block) => block.id));
    let seenOther = false;
    message.content.forEach((block, position) => {
      if (block.type !== 'tool_result') {
        seenOther = true;
        return;
      }
      if (seenOther) fail(`messages.${index}.content.${position}: \`tool_result\` blocks must come first in the user message, before any other content`);
      if (!uses.has(block.tool_use_id)) {
        fail(
          `messages.${index}.content.${position}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. ` +
            'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
        );
      }
    });
  });
}
