import type { ToolCall } from '../../core/chatMessage.js';
import type { ChatResult, ResultChoice, ResultMessage } from '../../core/chatResult.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { mapOpenAIFinishReason } from './mapOpenAIFinishReason.js';
import type { OpenAIResponseOptions } from './openaiProtocolProfile.js';
import { readContentChunks } from './readContentChunks.js';
import { parseOpenAIUsage } from './parseOpenAIUsage.js';
import { splitInlineReasoning } from './splitInlineReasoning.js';

const MODELLED_MESSAGE_FIELDS = new Set(['role', 'content', 'refusal', 'tool_calls', 'function_call', 'reasoning_content', 'reasoning']);

/** An OpenAI `chat.completion` body → neutral result. Unknown message fields are kept in `extra`. */
export function parseOpenAIResponse(body: unknown, effects: AdapterEffects, options: OpenAIResponseOptions = {}): ChatResult {
  // Tool-call ids and the response id have different prefixes, as in OpenAI's own answers.
  const createId = () => effects.newId('call_');
  if (body === null || typeof body !== 'object') throw malformedUpstream('body is not a JSON object');
  const response = body as Record<string, unknown>;
  if (!Array.isArray(response.choices)) throw malformedUpstream('no choices array');
  const choices: ResultChoice[] = response.choices.map((raw: unknown, position: number) => parseChoice(raw, position, createId, options));
  const result: ChatResult = {
    id: typeof response.id === 'string' && response.id !== '' ? response.id : effects.newId('chatcmpl-'),
    created: typeof response.created === 'number' ? response.created : Math.floor(effects.now() / 1000),
    model: typeof response.model === 'string' ? response.model : '',
    choices,
    usage: parseOpenAIUsage(response.usage) ?? parseOpenAIUsage((response.x_groq as Record<string, unknown> | undefined)?.usage),
  };
  if (typeof response.system_fingerprint === 'string' || response.system_fingerprint === null) result.systemFingerprint = response.system_fingerprint;
  if (typeof response.service_tier === 'string') result.serviceTier = response.service_tier;
  return result;
}

function parseChoice(raw: unknown, position: number, createId: () => string, options: OpenAIResponseOptions): ResultChoice {
  if (raw === null || typeof raw !== 'object') throw malformedUpstream(`choices[${position}] is not an object`);
  const choice = raw as Record<string, unknown>;
  const finishReason = mapOpenAIFinishReason(choice.finish_reason);
  if (finishReason === undefined) throw malformedUpstream(`choices[${position}] finished with an error`);
  const message = choice.message !== null && typeof choice.message === 'object' ? (choice.message as Record<string, unknown>) : {};
  const parsed: ResultChoice = {
    index: typeof choice.index === 'number' ? choice.index : position,
    message: parseMessage(message, createId, options),
    finishReason,
  };
  if (isFailingWhenEmpty(choice.finish_reason, options) && (parsed.message.content ?? '') === '' && parsed.message.toolCalls === undefined) {
    // E.g. cut off for lack of server capacity before any answer: nothing usable, so another attempt may do better.
    throw new GatewayError(502, 'upstream_error', `The provider stopped choices[${position}] (${String(choice.finish_reason)}) before producing an answer.`, { retryable: true });
  }
  const logprobs = choice.logprobs === undefined || choice.logprobs === null || options.normalizeLogprobs === undefined ? choice.logprobs : options.normalizeLogprobs(choice.logprobs);
  if (logprobs !== undefined && logprobs !== null) parsed.logprobs = logprobs;
  return parsed;
}

function parseMessage(message: Record<string, unknown>, createId: () => string, options: OpenAIResponseOptions): ResultMessage {
  const chunks = options.contentChunks === true && Array.isArray(message.content) ? readContentChunks(message.content) : undefined;
  const content = chunks === undefined ? message.content : chunks.text;
  const result: ResultMessage = { content: typeof content === 'string' ? content : null };
  if (typeof message.refusal === 'string' || message.refusal === null) result.refusal = message.refusal;
  const reasoning = message.reasoning_content ?? message.reasoning ?? chunks?.reasoning;
  const toolCalls = parseToolCalls(message, createId);
  if (typeof reasoning === 'string' && reasoning !== '') result.reasoningContent = reasoning;
  else if (options.inlineReasoningTags === true && result.content !== null) {
    // Only when the host sent no reasoning field of its own: then a leading <think> block is the reasoning.
    const inline = splitInlineReasoning(result.content);
    if (inline !== undefined) {
      // Nothing but reasoning before tool calls: null, as OpenAI answers tool calls; otherwise an empty answer stays ''.
      result.content = inline.text === '' && toolCalls.length > 0 ? null : inline.text;
      if (inline.reasoning !== '') result.reasoningContent = inline.reasoning;
    }
  }
  if (toolCalls.length > 0) result.toolCalls = toolCalls;
  for (const [key, value] of Object.entries(message)) {
    if (MODELLED_MESSAGE_FIELDS.has(key) || value === undefined) continue;
    result.extra ??= {};
    result.extra[key] = value;
  }
  return result;
}

function parseToolCalls(message: Record<string, unknown>, createId: () => string): ToolCall[] {
  const calls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const raw of message.tool_calls as unknown[]) {
      if (raw === null || typeof raw !== 'object') continue;
      const call = raw as Record<string, unknown>;
      const fn = (call.function ?? {}) as Record<string, unknown>;
      calls.push({
        ...call,
        id: typeof call.id === 'string' && call.id !== '' ? call.id : createId(),
        type: 'function',
        function: { ...fn, name: typeof fn.name === 'string' ? fn.name : '', arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) },
      });
    }
  } else if (message.function_call !== null && typeof message.function_call === 'object') {
    const fn = message.function_call as Record<string, unknown>;
    calls.push({ id: createId(), type: 'function', function: { name: String(fn.name ?? ''), arguments: typeof fn.arguments === 'string' ? fn.arguments : '{}' } });
  }
  return calls;
}

export function isFailingWhenEmpty(reason: unknown, options: OpenAIResponseOptions): boolean {
  return typeof reason === 'string' && options.failingWhenEmpty?.includes(reason) === true;
}
