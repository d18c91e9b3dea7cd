import type { ToolCall } from '../../core/chatMessage.js';
import type { ChatResult, ResultChoice, ResultMessage } from '../../core/chatResult.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { googleExtraContent } from './geminiThoughtSignature.js';
import { mapGeminiFinishReason } from './mapGeminiFinishReason.js';
import { mapGeminiLogprobs } from './mapGeminiLogprobs.js';
import { parseGeminiErrorObject } from './parseGeminiError.js';
import { parseGeminiUsage } from './parseGeminiUsage.js';
import { readBlockReason } from './readBlockReason.js';
import { readGeminiFunctionCall } from './readGeminiFunctionCall.js';
import { renderGeminiCode } from './renderGeminiCode.js';

/**
 * A `GenerateContentResponse` → neutral result (providers reference §4.5). A prompt blocked before any candidate
 * (`promptFeedback.blockReason`, no candidates) becomes one choice with empty content and `content_filter`, not an
 * error: the request was valid, the answer is the filter's, as OpenAI reports a filtered completion.
 */
export function parseGeminiResponse(body: unknown, effects: AdapterEffects): ChatResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw malformedUpstream('body is not a JSON object');
  const response = body as Record<string, unknown>;
  if (response.error !== undefined) throw parseGeminiErrorObject(response);
  const candidates = Array.isArray(response.candidates) ? (response.candidates as unknown[]) : [];
  let choices: ResultChoice[];
  if (candidates.length > 0) {
    choices = candidates.map((candidate, position) => parseCandidate(candidate, position, effects));
  } else if (readBlockReason(response) !== undefined) {
    choices = [{ index: 0, message: { content: '' }, finishReason: 'content_filter' }];
  } else {
    throw malformedUpstream('no candidates and no block reason');
  }
  return {
    id: typeof response.responseId === 'string' && response.responseId !== '' ? response.responseId : effects.newId('chatcmpl-'),
    created: Math.floor(effects.now() / 1000),
    model: typeof response.modelVersion === 'string' ? response.modelVersion : '',
    choices,
    usage: parseGeminiUsage(response.usageMetadata),
  };
}

function parseCandidate(raw: unknown, position: number, effects: AdapterEffects): ResultChoice {
  if (raw === null || typeof raw !== 'object') throw malformedUpstream(`candidates[${position}] is not an object`);
  const candidate = raw as Record<string, unknown>;
  const content = candidate.content !== null && typeof candidate.content === 'object' ? (candidate.content as Record<string, unknown>) : {};
  const parts = Array.isArray(content.parts) ? (content.parts as unknown[]) : [];
  let text = '';
  let reasoning = '';
  let signature: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const rawPart of parts) {
    if (rawPart === null || typeof rawPart !== 'object') continue;
    const part = rawPart as Record<string, unknown>;
    const call = readGeminiFunctionCall(part, effects.newId);
    if (call !== undefined) {
      toolCalls.push({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments }, ...call.extra });
      continue;
    }
    if (typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '') signature = part.thoughtSignature;
    if (typeof part.text === 'string') {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    } else {
      text += renderGeminiCode(part);
    }
  }
  const message: ResultMessage = { content: text === '' && toolCalls.length > 0 ? null : text };
  if (reasoning !== '') message.reasoningContent = reasoning;
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (signature !== undefined) message.extra = { extra_content: googleExtraContent(signature) };
  const choice: ResultChoice = {
    index: typeof candidate.index === 'number' ? candidate.index : position,
    message,
    finishReason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
  const logprobs = mapGeminiLogprobs(candidate.logprobsResult);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  return choice;
}
