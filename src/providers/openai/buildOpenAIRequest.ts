import type { ChatMessage, ContentPart, ToolCall } from '../../core/chatMessage.js';
import type { ChatParameters, ChatRequest } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { UpstreamRequest, UpstreamTarget } from '../adapter.js';
import { sanitizeExtension } from '../sanitizeExtensions.js';
import type { OpenAIProtocolProfile } from './openaiProtocolProfile.js';

/** Neutral request → OpenAI chat-completions request for one profile. */
export function buildOpenAIRequest(request: ChatRequest, target: UpstreamTarget, profile: OpenAIProtocolProfile): UpstreamRequest {
  const warnings: Warning[] = [];
  const body: Record<string, unknown> = {
    model: target.upstreamModel,
    messages: stripForeignFields(request.messages, profile),
  };
  const params = request.params;
  for (const name of Object.keys(params) as (keyof ChatParameters)[]) {
    const value = params[name];
    if (value === undefined) continue;
    if (profile.unsupportedParameters.has(name)) {
      warnings.push({ code: 'unsupported_parameter', param: name, message: `'${name}' is not supported by provider '${target.providerId}' and was dropped.` });
      continue;
    }
    if (name === 'max_completion_tokens') body[profile.maxTokensField] = value;
    else if (name === 'reasoning_effort') body.reasoning_effort = value === 'off' ? 'none' : value;
    else body[name] = value;
  }
  if (request.stream) {
    body.stream = true;
    // Usage is always requested upstream so that every stream can be metered.
    body.stream_options = { include_usage: true };
  }
  mergeExtensions(body, request, target, profile, warnings);

  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey !== undefined) headers.authorization = `Bearer ${target.apiKey}`;
  if (request.stream) headers.accept = 'text/event-stream';
  return { url: target.baseUrl + profile.chatPath, headers, body: JSON.stringify(body), warnings };
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

/** Copies only the messages that carry fields meant for other providers; the rest are sent as they came. */
function stripForeignFields(messages: ChatMessage[], profile: OpenAIProtocolProfile): ChatMessage[] {
  let result: ChatMessage[] | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ChatMessage;
    const cleaned = cleanMessage(message, profile);
    if (cleaned !== message) {
      result ??= messages.slice(0, index);
    }
    if (result !== undefined) result.push(cleaned);
  }
  return result ?? messages;
}

function cleanMessage(message: ChatMessage, profile: OpenAIProtocolProfile): ChatMessage {
  let copy: Record<string, unknown> | undefined;
  for (const field of profile.foreignMessageFields) {
    if (field in message) {
      copy ??= { ...message };
      delete copy[field];
    }
  }
  const content = message.content;
  if (Array.isArray(content)) {
    const parts = cleanObjects(content as ContentPart[], profile.foreignPartFields);
    if (parts !== content) {
      copy ??= { ...message };
      copy.content = parts;
    }
  }
  if (message.role === 'assistant' && message.tool_calls !== undefined) {
    const calls = cleanObjects(message.tool_calls, profile.foreignToolCallFields);
    if (calls !== message.tool_calls) {
      copy ??= { ...message };
      copy.tool_calls = calls as ToolCall[];
    }
  }
  return copy === undefined ? message : (copy as ChatMessage);
}

function cleanObjects<T extends object>(items: T[], fields: readonly string[]): T[] {
  let result: T[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    let copy: Record<string, unknown> | undefined;
    for (const field of fields) {
      if (field in item) {
        copy ??= { ...(item as Record<string, unknown>) };
        delete copy[field];
      }
    }
    if (copy !== undefined) result ??= items.slice(0, index);
    if (result !== undefined) result.push((copy ?? item) as T);
  }
  return result ?? items;
}
