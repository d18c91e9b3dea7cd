import type { ChatParameters, ChatRequest, ParameterName } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { UpstreamRequest, UpstreamTarget } from '../adapter.js';
import { sanitizeExtension } from '../sanitizeExtensions.js';
import { addSchemaInstruction } from './addSchemaInstruction.js';
import { findModelRules, type OpenAIModelRules } from './openaiModelRules.js';
import type { OpenAIProtocolProfile, OpenAIRequestDraft } from './openaiProtocolProfile.js';
import { prepareOpenAIMessages } from './prepareOpenAIMessages.js';
import { translateReasoningEffort } from './translateReasoningEffort.js';

/** Neutral request → OpenAI chat-completions request for one profile. */
export function buildOpenAIRequest(request: ChatRequest, target: UpstreamTarget, profile: OpenAIProtocolProfile): UpstreamRequest {
  const warnings: Warning[] = [];
  const params = request.params;
  const rules = findModelRules(profile.models, target.upstreamModel);
  const reasoning = (profile.translateReasoning ?? translateReasoningEffort)({ effort: params.reasoning_effort, rules, target });
  let messages = prepareOpenAIMessages(request.messages, { profile, rules, reasoning: reasoning.reasoning, providerId: target.providerId, warnings });
  // Messages are filled in last; the placeholder keeps `model` and `messages` first on the wire.
  const body: Record<string, unknown> = { model: target.upstreamModel, messages: undefined };
  const hasTools = params.tools !== undefined && params.tools.length > 0;
  let reasoningPlaced = false;
  for (const name of Object.keys(params) as (keyof ChatParameters)[]) {
    const value = params[name];
    if (value === undefined) continue;
    // OpenAI rejects tool settings without tools; without tools they mean nothing, so they are not sent.
    if (!hasTools && (name === 'tool_choice' || name === 'parallel_tool_calls')) continue;
    const refusal = refusedParameter(name, value, profile, rules, reasoning.reasoning);
    if (refusal !== undefined) {
      warnings.push({ code: 'unsupported_parameter', param: name, message: `'${name}' is not supported by provider '${target.providerId}'${refusal} and was dropped.` });
      continue;
    }
    if (name === 'reasoning_effort') {
      warnings.push(...reasoning.warnings);
      Object.assign(body, reasoning.fields);
      reasoningPlaced = true;
    } else if (name === 'max_completion_tokens') {
      body[profile.maxTokensField] = value;
    } else if (name === 'tool_choice' && value === 'required' && profile.requiredToolChoice !== undefined) {
      body.tool_choice = profile.requiredToolChoice;
    } else if (name === 'response_format' && params.response_format?.type === 'json_schema' && profile.jsonSchemaAsInstruction === true) {
      const { name: schemaName, schema } = params.response_format.json_schema;
      body.response_format = { type: 'json_object' };
      messages = addSchemaInstruction(messages, schemaName, schema);
      warnings.push({
        code: 'unsupported_parameter',
        param: 'response_format',
        message: `Provider '${target.providerId}' has no json_schema mode: json_object was requested and the schema was added as a system message (not enforced).`,
      });
    } else {
      body[profile.parameterNames?.[name] ?? name] = value;
    }
  }
  if (!reasoningPlaced) {
    warnings.push(...reasoning.warnings);
    Object.assign(body, reasoning.fields);
  }
  if (hasTools && params.tool_choice === undefined && profile.sendAutoToolChoice === true) body.tool_choice = 'auto';
  for (const [field, value] of Object.entries(rules.fields ?? {})) if (!(field in body)) body[field] = value;
  if (request.stream) {
    body.stream = true;
    // Usage is always requested upstream so that every stream can be metered.
    if (profile.rejectsStreamOptions !== true) body.stream_options = { include_usage: true };
  }

  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey !== undefined) headers.authorization = `Bearer ${target.apiKey}`;
  if (request.stream) headers.accept = 'text/event-stream';
  const draft: OpenAIRequestDraft = { body, headers, messages, request, target, rules, reasoning: reasoning.reasoning, warnings };
  profile.finishRequest?.(draft);
  body.messages = draft.messages;
  mergeExtensions(body, request, target, profile, warnings);
  return { url: target.baseUrl + profile.chatPath, headers, body: JSON.stringify(body), warnings };
}

/** Why a parameter cannot be sent to this model (a phrase for the warning), or undefined when it can. */
function refusedParameter(name: ParameterName, value: unknown, profile: OpenAIProtocolProfile, rules: OpenAIModelRules, reasoning: boolean): string | undefined {
  if (profile.unsupportedParameters.has(name)) return '';
  if (rules.unsupportedParameters?.includes(name) === true) return ' for this model';
  // Reasoning models take only the default temperature, so 1 is harmless.
  if (reasoning && rules.rejectedWhileReasoning?.includes(name) === true && !(name === 'temperature' && value === 1)) return ' while the model reasons';
  return undefined;
}

function mergeExtensions(body: Record<string, unknown>, request: ChatRequest, target: UpstreamTarget, profile: OpenAIProtocolProfile, warnings: Warning[]): void {
  const names = [...profile.extensionNames, target.providerId];
  const reasoningFields = request.params.reasoning_effort === undefined ? new Set<string>() : profile.reasoningFields;
  for (const name of new Set(names)) {
    const extension = request.extensions[name];
    if (extension === undefined) continue;
    const sanitized = sanitizeExtension(name, extension, reasoningFields);
    warnings.push(...sanitized.warnings);
    Object.assign(body, sanitized.fields);
  }
}
