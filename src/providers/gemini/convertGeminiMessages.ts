import type { AssistantMessage, ChatMessage, ContentPart, ToolMessage } from '../../core/chatMessage.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import type { GeminiModelFacts } from './geminiModels.js';
import { readExtraContentSignature, SKIP_THOUGHT_SIGNATURE, splitSignedId } from './geminiThoughtSignature.js';
import type { GeminiContent, GeminiPart } from './geminiWire.js';
import { toGeminiPart } from './toGeminiPart.js';

export interface GeminiConversation {
  systemInstruction: { parts: GeminiPart[] } | undefined;
  contents: GeminiContent[];
  warnings: Warning[];
}

interface KnownCall {
  name: string;
  /** The id Gemini sees (a LiteLLM signature suffix removed). */
  geminiId: string;
  /** Position within its assistant message, so that results go back in call order. */
  order: number;
}

interface PendingResponse {
  order: number;
  part: GeminiPart;
}

/**
 * OpenAI messages → `systemInstruction` + `contents` (providers reference §4.2, §4.3): system and developer text is
 * hoisted, roles become user/model with same-role neighbours merged, tool calls become signed `functionCall` parts and
 * the results of one turn become one user content of `functionResponse` parts in call order.
 */
export function convertGeminiMessages(messages: readonly ChatMessage[], facts: GeminiModelFacts, baseUrl: string, model: string): GeminiConversation {
  const warnings: Warning[] = [];
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const calls = new Map<string, KnownCall>();
  let responses: PendingResponse[] = [];
  let sawConversation = false;
  // Gemini 3 validates signatures only in the current turn: the steps after the last user message.
  const lastUser = messages.reduce((last, message, index) => (message.role === 'user' ? index : last), -1);

  const push = (role: GeminiContent['role'], parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const previous = contents[contents.length - 1];
    if (previous !== undefined && previous.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  };
  const flushResponses = (): void => {
    push('user', responses.sort((first, second) => first.order - second.order).map((response) => response.part));
    responses = [];
  };

  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (message.role !== 'tool') flushResponses();
    switch (message.role) {
      case 'system':
      case 'developer': {
        if (sawConversation) {
          warnings.push({ code: 'unsupported_parameter', param, message: `'${param}' (${message.role}) was moved into Gemini's systemInstruction, which comes before the conversation.` });
        }
        systemParts.push(...contentParts(message.content, `${param}.content`, baseUrl));
        return;
      }
      case 'user':
        sawConversation = true;
        push('user', contentParts(message.content, `${param}.content`, baseUrl));
        return;
      case 'assistant':
        sawConversation = true;
        push('model', assistantParts(message, param, baseUrl, calls, facts.requiresThoughtSignatures && index > lastUser, warnings));
        return;
      case 'tool':
        responses.push(functionResponse(message, param, calls));
        return;
    }
  });
  flushResponses();

  if (!facts.systemInstruction && systemParts.length > 0) {
    // Gemma takes no systemInstruction: its text opens the first user turn instead.
    const firstUser = contents.find((content) => content.role === 'user');
    if (firstUser === undefined) contents.unshift({ role: 'user', parts: systemParts });
    else firstUser.parts.unshift(...systemParts);
    warnings.push({ code: 'unsupported_parameter', param: 'messages', message: `${model} takes no system instruction; the system text was put at the start of the first user message.` });
    return { systemInstruction: undefined, contents, warnings };
  }
  return { systemInstruction: systemParts.length === 0 ? undefined : { parts: systemParts }, contents, warnings };
}

function contentParts(content: string | ContentPart[] | null, param: string, baseUrl: string): GeminiPart[] {
  if (content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const parts: GeminiPart[] = [];
  content.forEach((part, index) => {
    const converted = toGeminiPart(part, `${param}[${index}]`, baseUrl);
    if (converted !== undefined) parts.push(converted);
  });
  return parts;
}

function assistantParts(
  message: AssistantMessage,
  param: string,
  baseUrl: string,
  calls: Map<string, KnownCall>,
  currentTurn: boolean,
  warnings: Warning[],
): GeminiPart[] {
  const parts = contentParts(message.content, `${param}.content`, baseUrl);
  // A text answer's signature (echoed as the message's extra_content) goes back on its last text part.
  const textSignature = readExtraContentSignature(message.extra_content);
  const lastPart = parts[parts.length - 1];
  if (textSignature !== undefined && lastPart !== undefined) lastPart.thoughtSignature = textSignature;

  (message.tool_calls ?? []).forEach((call, order) => {
    const path = `${param}.tool_calls[${order}]`;
    const split = splitSignedId(call.id);
    calls.set(call.id, { name: call.function.name, geminiId: split.id, order });
    const part: GeminiPart = { functionCall: { id: split.id, name: call.function.name, args: parseArguments(call.function.arguments, `${path}.function.arguments`) } };
    const signature = readExtraContentSignature(call.extra_content) ?? split.signature;
    if (signature !== undefined) part.thoughtSignature = signature;
    else if (order === 0 && currentTurn) {
      // Only the first call of a step carries a signature; without it Gemini 3 answers 400.
      part.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
      warnings.push({
        code: 'unsupported_parameter',
        param: path,
        message: `'${path}' has no thought signature (extra_content.google.thought_signature); Google's placeholder was sent so Gemini accepts the history, with less reasoning context.`,
      });
    }
    parts.push(part);
  });
  return parts;
}

function parseArguments(json: string, param: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalidParameter(param, `'${param}' must be a JSON object; Gemini needs the arguments as an object.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParameter(param, `'${param}' must be a JSON object; Gemini needs the arguments as an object.`);
  }
  return parsed as Record<string, unknown>;
}

function functionResponse(message: ToolMessage, param: string, calls: Map<string, KnownCall>): PendingResponse {
  const call = calls.get(message.tool_call_id);
  if (call === undefined) {
    throw invalidParameter(`${param}.tool_call_id`, `'${param}.tool_call_id' does not answer a tool call of an earlier assistant message.`);
  }
  const text = typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
  return { order: call.order, part: { functionResponse: { id: call.geminiId, name: call.name, response: responseObject(text) } } };
}

/** Gemini wants an object: a JSON object result is sent as is, anything else under Google's `output` key. */
function responseObject(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all: wrapped below.
    }
  }
  return { output: text };
}
