import type { Behaviour } from './behaviour.js';
import { estimatePromptTokens } from './estimatePromptTokens.js';
import { generatedReasoningTokens, generatedReplyTokens, tokenizeJson, tokenizeText } from './replyTokens.js';
import { sampleFromSchema } from './sampleFromSchema.js';
import type { SimulatorIds } from './simulatorIds.js';
import { SimulatorRequestError } from './simulatorRequestError.js';

/** The request fields the simulator reads; everything else is accepted and ignored. */
export interface SimulatedRequestBody {
  model: string;
  messages: unknown[];
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  tools?: unknown;
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
  n?: unknown;
  logprobs?: unknown;
  top_logprobs?: unknown;
  stop?: unknown;
  max_completion_tokens?: unknown;
  max_tokens?: unknown;
  response_format?: unknown;
}

export type PlannedFinishReason = 'stop' | 'length' | 'tool_calls';

export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
  /** The arguments cut into 2-3 pieces for streaming. */
  argumentFragments: string[];
}

export interface PlannedChoice {
  index: number;
  /** Visible reasoning tokens (empty when the reasoning field is `none`). */
  reasoningTokens: readonly string[];
  /** Content tokens; empty when the choice calls tools. */
  contentTokens: readonly string[];
  /** Joined content, null when the choice calls tools. */
  content: string | null;
  toolCalls: PlannedToolCall[] | undefined;
  finishReason: PlannedFinishReason;
  /** The stop string that cut the reply, when one did. */
  stopSequence?: string;
  /** Completion tokens of this choice, reasoning included. */
  completionTokens: number;
  reasoningTokenCount: number;
}

export interface PlannedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

/** Everything a response needs, decided once so the JSON and the stream renderers agree. */
export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  serviceTier: string | null;
  systemFingerprint: string | null;
  reasoningField: 'reasoning_content' | 'reasoning' | undefined;
  /** Number of top_logprobs per token when the request asked for logprobs, else undefined. */
  topLogprobs: number | undefined;
  choices: PlannedChoice[];
  usage: PlannedUsage;
}

interface FunctionToolSpec {
  name: string;
  parameters: unknown;
}

const MAX_CHOICES = 128;

function functionTools(tools: unknown): FunctionToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: FunctionToolSpec[] = [];
  for (const tool of tools) {
    const fn = (tool as { type?: unknown; function?: { name?: unknown; parameters?: unknown } } | null)?.function;
    if ((tool as { type?: unknown }).type === 'function' && typeof fn?.name === 'string') specs.push({ name: fn.name, parameters: fn.parameters });
  }
  return specs;
}

/** Tool names a `tool_choice` restricts the call to, or undefined when any tool may be called. */
function allowedToolNames(toolChoice: unknown): Set<string> | undefined {
  if (typeof toolChoice !== 'object' || toolChoice === null) return undefined;
  const choice = toolChoice as { type?: unknown; function?: { name?: unknown }; allowed_tools?: { tools?: unknown } };
  if (choice.type === 'function' && typeof choice.function?.name === 'string') return new Set([choice.function.name]);
  if (choice.type === 'allowed_tools' && Array.isArray(choice.allowed_tools?.tools)) {
    return new Set(functionTools(choice.allowed_tools.tools).map((tool) => tool.name));
  }
  return undefined;
}

/** The tools each choice calls, or undefined when the choice answers with text. */
function pickTools(request: SimulatedRequestBody, mode: Behaviour['toolCalls']): FunctionToolSpec[] | undefined {
  if (mode === 'never' || mode === 0 || request.tool_choice === 'none') return undefined;
  const lastMessage = request.messages[request.messages.length - 1] as { role?: unknown } | undefined;
  if (lastMessage?.role === 'tool') return undefined;
  let tools = functionTools(request.tools);
  const allowed = allowedToolNames(request.tool_choice);
  if (allowed !== undefined) {
    const restricted = tools.filter((tool) => allowed.has(tool.name));
    if (restricted.length === 0) {
      throw new SimulatorRequestError(400, `Invalid value for 'tool_choice': no function named '${[...allowed].join("', '")}' was specified in the 'tools' parameter.`, {
        param: 'tool_choice',
        code: 'invalid_value',
      });
    }
    tools = restricted;
  }
  if (tools.length === 0) return undefined;
  let count = mode === 'auto' ? 1 : mode;
  if (request.parallel_tool_calls === false) count = Math.min(count, 1);
  const picks: FunctionToolSpec[] = [];
  for (let index = 0; index < count; index++) picks.push(tools[index % tools.length] as FunctionToolSpec);
  return picks;
}

function splitArguments(json: string): string[] {
  if (json.length >= 6) {
    const first = Math.floor(json.length / 3);
    const second = Math.floor((2 * json.length) / 3);
    return [json.slice(0, first), json.slice(first, second), json.slice(second)];
  }
  if (json.length >= 2) return [json.slice(0, 1), json.slice(1)];
  return [json];
}

/** Tokens a tool call costs: one for the id/name fragment plus ceil(length / 4) per argument fragment. */
export function toolCallTokens(call: PlannedToolCall): number {
  let tokens = 1;
  for (const fragment of call.argumentFragments) tokens += Math.ceil(fragment.length / 4);
  return tokens;
}

function optionalPositiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SimulatorRequestError(400, `Invalid '${param}': expected a positive integer.`, { param, code: 'invalid_value' });
  }
  return value;
}

function stopStrings(stop: unknown): string[] {
  if (typeof stop === 'string') return stop === '' ? [] : [stop];
  if (Array.isArray(stop)) return stop.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  return [];
}

/** The stop string found earliest in the text, if any. */
function earliestStop(tokens: readonly string[], stops: string[]): { stop: string; position: number } | undefined {
  if (stops.length === 0) return undefined;
  const text = tokens.join('');
  let found: { stop: string; position: number } | undefined;
  for (const stop of stops) {
    const position = text.indexOf(stop);
    if (position >= 0 && (found === undefined || position < found.position)) found = { stop, position };
  }
  return found;
}

/** Cuts tokens before the earliest stop string; a token split by the cut keeps its prefix. */
function applyStop(tokens: readonly string[], stops: string[]): readonly string[] {
  const found = earliestStop(tokens, stops);
  if (found === undefined) return tokens;
  const cut = found.position;
  const kept: string[] = [];
  let length = 0;
  for (const token of tokens) {
    if (length + token.length <= cut) {
      kept.push(token);
      length += token.length;
      continue;
    }
    if (cut > length) kept.push(token.slice(0, cut - length));
    break;
  }
  return kept;
}

function replyTokens(request: SimulatedRequestBody, behaviour: Behaviour, choiceIndex: number): readonly string[] {
  if (behaviour.replyText !== undefined) return tokenizeText(behaviour.replyText);
  const format = request.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined | null;
  if (format?.type === 'json_object') return tokenizeJson('{"ok":true}');
  if (format?.type === 'json_schema') return tokenizeJson(JSON.stringify(sampleFromSchema(format.json_schema?.schema ?? {})));
  return generatedReplyTokens(behaviour.completionTokens, choiceIndex);
}

/** Decides ids, text, tool calls, finish reasons and usage for one request. */
export function planCompletion(request: SimulatedRequestBody, behaviour: Behaviour, model: string, ids: SimulatorIds): CompletionPlan {
  const choiceCount = Math.min(optionalPositiveInteger(request.n, 'n') ?? 1, MAX_CHOICES);
  const maxTokens = optionalPositiveInteger(request.max_completion_tokens, 'max_completion_tokens') ?? optionalPositiveInteger(request.max_tokens, 'max_tokens');
  const stops = stopStrings(request.stop);
  const tools = pickTools(request, behaviour.toolCalls);
  const reasoningField = behaviour.reasoningText === 'none' ? undefined : behaviour.reasoningText;

  const choices: PlannedChoice[] = [];
  let completionTokens = 0;
  let reasoningTokens = 0;
  for (let index = 0; index < choiceCount; index++) {
    let reasoningTokenCount = behaviour.reasoningTokens;
    // Reasoning that uses up the whole budget leaves nothing for the answer, like a real reasoning model.
    const budgetExhausted = maxTokens !== undefined && reasoningTokenCount >= maxTokens;
    if (budgetExhausted) reasoningTokenCount = maxTokens;
    const visibleReasoning = reasoningField === undefined ? [] : generatedReasoningTokens(reasoningTokenCount);
    let choice: PlannedChoice;
    if (tools !== undefined && !budgetExhausted) {
      // Tool calls are not cut by max tokens so their arguments always stay valid JSON for tests.
      const toolCalls = tools.map((tool): PlannedToolCall => {
        const argumentsJson = JSON.stringify(sampleFromSchema(tool.parameters ?? { type: 'object' }));
        return { id: ids.toolCallId(), name: tool.name, arguments: argumentsJson, argumentFragments: splitArguments(argumentsJson) };
      });
      const tokens = toolCalls.reduce((sum, call) => sum + toolCallTokens(call), reasoningTokenCount);
      choice = { index, reasoningTokens: visibleReasoning, contentTokens: [], content: null, toolCalls, finishReason: 'tool_calls', completionTokens: tokens, reasoningTokenCount };
    } else {
      const reply = budgetExhausted ? [] : replyTokens(request, behaviour, index);
      const stopped = earliestStop(reply, stops);
      let contentTokens = applyStop(reply, stops);
      let truncated = budgetExhausted;
      if (maxTokens !== undefined && contentTokens.length > maxTokens - reasoningTokenCount) {
        contentTokens = contentTokens.slice(0, Math.max(0, maxTokens - reasoningTokenCount));
        truncated = true;
      }
      choice = {
        index,
        reasoningTokens: visibleReasoning,
        contentTokens,
        content: contentTokens.join(''),
        toolCalls: undefined,
        finishReason: truncated ? 'length' : 'stop',
        completionTokens: reasoningTokenCount + contentTokens.length,
        reasoningTokenCount,
      };
      if (stopped !== undefined && !truncated) choice.stopSequence = stopped.stop;
    }
    choices.push(choice);
    completionTokens += choice.completionTokens;
    reasoningTokens += reasoningTokenCount;
  }

  const promptTokens = estimatePromptTokens(request.messages, request.tools);
  const topLogprobs = request.logprobs === true ? Math.min(20, Math.max(0, typeof request.top_logprobs === 'number' ? Math.floor(request.top_logprobs) : 0)) : undefined;
  return {
    id: ids.completionId(),
    created: Math.floor(Date.now() / 1000),
    model,
    serviceTier: behaviour.serviceTier,
    systemFingerprint: behaviour.systemFingerprint,
    reasoningField,
    topLogprobs,
    choices,
    usage: {
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      cachedTokens: Math.min(behaviour.cachedTokens, promptTokens),
      reasoningTokens,
    },
  };
}
