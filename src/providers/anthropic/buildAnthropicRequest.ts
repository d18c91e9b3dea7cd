import type { ChatRequest, ParameterName } from '../../core/chatRequest.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import type { UpstreamRequest, UpstreamTarget } from '../adapter.js';
import { lookupAnthropicModel } from './anthropicModels.js';
import { anthropicSampling } from './anthropicSampling.js';
import { convertAnthropicMessages } from './convertAnthropicMessages.js';
import { jsonResponseTool, type JsonResponseTool } from './jsonResponseTool.js';
import { limitCacheBreakpoints } from './limitCacheBreakpoints.js';
import { planAnthropicThinking } from './planAnthropicThinking.js';
import { isForcedToolChoice, planAnthropicTools, unforcedToolChoice } from './planAnthropicTools.js';
import { readAnthropicExtensions } from './readAnthropicExtensions.js';
import { toAnthropicOutputSchema } from './toAnthropicOutputSchema.js';

export const ANTHROPIC_VERSION = '2023-06-01';
export const MESSAGES_PATH = '/v1/messages';

/** OpenAI parameters with no Anthropic counterpart: dropped with a warning each (§3.1). */
const UNSUPPORTED: readonly ParameterName[] = [
  'seed', 'logit_bias', 'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty', 'min_p', 'top_a', 'repetition_penalty',
  'web_search_options', 'verbosity', 'prompt_cache_key', 'prompt_cache_retention',
];

/** Anthropic wants an opaque end-user id (LiteLLM refuses these too). */
const PERSONAL_ID = /^[^@\s]+@[^@\s]+\.[^@\s]+$|^\+?[\d\s().-]{7,}$/;

/** Neutral request → `POST {base_url}/v1/messages` (providers reference §3.1, §3.2, §3.5, §9.1). */
export function buildAnthropicRequest(request: ChatRequest, target: UpstreamTarget): UpstreamRequest {
  const warnings: Warning[] = [];
  const { params } = request;
  if (params.n !== undefined && params.n !== 1) throw invalidParameter('n', `Anthropic returns one choice per request; 'n' must be 1, got ${params.n}.`);
  const info = lookupAnthropicModel(target.upstreamModel);
  const modelMax = Math.min(info.maxOutputTokens, target.maxOutputTokens ?? Number.POSITIVE_INFINITY);
  const extensions = readAnthropicExtensions(request, target.providerId, warnings);
  const betas = new Set<string>();
  const conversation = convertAnthropicMessages(request.messages, { warnings, betas });

  // JSON mode: native structured outputs where the model has them, otherwise a forced tool (§3.1).
  let outputFormat: Record<string, unknown> | undefined;
  let jsonTool: JsonResponseTool | undefined;
  const format = params.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema !== undefined && info.structuredOutputs) {
    const converted = toAnthropicOutputSchema(format.json_schema.schema);
    if (converted.moved.length > 0) {
      warnings.push({
        code: 'unsupported_parameter',
        param: 'response_format.json_schema.schema',
        message: `Anthropic structured outputs do not enforce ${converted.moved.join(', ')}; these constraints were moved into the schema descriptions.`,
      });
    }
    outputFormat = { type: 'json_schema', schema: converted.schema };
  } else {
    jsonTool = jsonResponseTool(request);
  }

  const toolPlan = planAnthropicTools({ params, info, jsonTool, historyToolNames: conversation.historyToolNames, warnings });
  if (!info.forcedToolUse && toolPlan.toolChoice !== undefined && isForcedToolChoice(toolPlan.toolChoice)) {
    warnings.push({ code: 'unsupported_parameter', param: 'tool_choice', message: 'This model does not accept forced tool use; the tool choice was sent as auto.' });
    toolPlan.toolChoice = unforcedToolChoice(toolPlan.toolChoice);
  }
  const forced = isForcedToolChoice(toolPlan.toolChoice);
  const prefill = conversation.turns.at(-1)?.role === 'assistant';
  const conflict = forced
    ? jsonTool !== undefined && params.tool_choice === undefined
      ? 'JSON output is emulated with a forced tool call'
      : 'tool_choice forces a tool call'
    : prefill
      ? 'the reply continues a final assistant message'
      : undefined;
  const thinking = planAnthropicThinking({
    request, info, capabilities: target.capabilities, modelMax, extensionThinking: extensions.thinking, conflict, providerId: target.providerId, warnings,
  });
  if (thinking.unresolvedConflict && toolPlan.toolChoice !== undefined && forced) {
    warnings.push({ code: 'unsupported_parameter', param: 'tool_choice', message: 'This model always thinks and thinking does not allow forced tool use; the tool choice was sent as auto.' });
    toolPlan.toolChoice = unforcedToolChoice(toolPlan.toolChoice);
  }
  const sampling = anthropicSampling(params, info, thinking.active, warnings);
  limitCacheBreakpoints(toolPlan.tools, conversation.system, conversation.turns, warnings);

  const body: Record<string, unknown> = { model: target.upstreamModel, max_tokens: thinking.maxTokens };
  if (conversation.system.length > 0) body.system = conversation.system;
  body.messages = conversation.turns;
  if (toolPlan.tools !== undefined) body.tools = toolPlan.tools;
  if (toolPlan.toolChoice !== undefined) body.tool_choice = toolPlan.toolChoice;
  if (thinking.thinking !== undefined) body.thinking = thinking.thinking;
  const outputConfig: Record<string, unknown> = {};
  if (thinking.effort !== undefined) outputConfig.effort = thinking.effort;
  if (outputFormat !== undefined) outputConfig.format = outputFormat;
  const stops = stopSequences(params.stop, warnings);
  if (stops.length > 0) body.stop_sequences = stops;
  Object.assign(body, sampling);
  const userId = endUserId(params.safety_identifier ?? params.user, params.safety_identifier === undefined ? 'user' : 'safety_identifier', warnings);
  if (userId !== undefined) body.metadata = { user_id: userId };
  for (const name of UNSUPPORTED) {
    if (params[name] === undefined) continue;
    warnings.push({ code: 'unsupported_parameter', param: name, message: `'${name}' is not supported by provider '${target.providerId}' (Anthropic) and was dropped.` });
  }
  if (request.stream) body.stream = true;

  // Extension fields come last; an extension's output_config is merged under the gateway's own keys.
  const { output_config: extensionOutput, ...extensionFields } = extensions.fields;
  Object.assign(body, extensionFields);
  const mergedOutput = extensionOutput !== null && typeof extensionOutput === 'object' ? { ...(extensionOutput as Record<string, unknown>), ...outputConfig } : outputConfig;
  if (Object.keys(mergedOutput).length > 0) body.output_config = mergedOutput;

  return { url: target.baseUrl + MESSAGES_PATH, headers: anthropicHeaders(request, target, betas), body: JSON.stringify(body), warnings };
}

function anthropicHeaders(request: ChatRequest, target: UpstreamTarget, betas: Set<string>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
  let configuredBeta: string | undefined;
  for (const [name, value] of Object.entries(target.headers)) {
    if (name.toLowerCase() === 'anthropic-beta') configuredBeta = value;
    else headers[name] = value;
  }
  const allBetas = new Set([...(configuredBeta ?? '').split(',').map((flag) => flag.trim()).filter((flag) => flag !== ''), ...betas]);
  if (allBetas.size > 0) headers['anthropic-beta'] = [...allBetas].join(',');
  if (target.apiKey !== undefined) headers['x-api-key'] = target.apiKey;
  if (request.stream) headers.accept = 'text/event-stream';
  return headers;
}

/** Anthropic rejects whitespace-only stop sequences (§3.1); they are dropped with a warning. */
function stopSequences(stop: string[] | undefined, warnings: Warning[]): string[] {
  if (stop === undefined) return [];
  const kept = stop.filter((sequence) => sequence.trim() !== '');
  if (kept.length < stop.length) {
    warnings.push({ code: 'unsupported_parameter', param: 'stop', message: 'Anthropic rejects stop sequences made only of whitespace; those were dropped.' });
  }
  return kept;
}

function endUserId(value: string | undefined, param: string, warnings: Warning[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (PERSONAL_ID.test(value.trim())) {
    warnings.push({ code: 'unsupported_parameter', param, message: `Anthropic asks for an opaque end-user id; '${param}' looks like an email address or phone number and was not sent.` });
    return undefined;
  }
  return value;
}
