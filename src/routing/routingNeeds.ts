import type { ChatRequest, ParameterName } from '../core/chatRequest.js';
import { estimatePromptTokens } from './estimatePromptTokens.js';

/** What a request needs from an offer, computed once per request. */
export interface RoutingNeeds {
  /** Tools are sent and may be called. */
  tools: boolean;
  /** `tool_choice` is "required" or names a function. */
  toolChoiceForced: boolean;
  responseFormat: 'json_object' | 'json_schema' | undefined;
  /** Some message carries an image. */
  vision: boolean;
  /** `reasoning_effort` asks for reasoning (on) or for none (off). */
  reasoning: 'on' | 'off' | undefined;
  promptTokens: number;
  maxOutputTokens: number | undefined;
  /** Optional parameters the caller sent. */
  sentParameters: ParameterName[];
  /** Provider ids the caller sent their own key for. */
  callerKeys: ReadonlyMap<string, string>;
}

export function routingNeeds(request: ChatRequest, callerKeys: ReadonlyMap<string, string>): RoutingNeeds {
  const params = request.params;
  const toolChoice = params.tool_choice;
  const hasTools = params.tools !== undefined && params.tools.length > 0;
  const format = params.response_format?.type;
  return {
    tools: hasTools && toolChoice !== 'none',
    toolChoiceForced: hasTools && (toolChoice === 'required' || (typeof toolChoice === 'object' && toolChoice !== null)),
    responseFormat: format === 'json_object' || format === 'json_schema' ? format : undefined,
    vision: request.messages.some((message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url')),
    reasoning: params.reasoning_effort === undefined ? undefined : params.reasoning_effort === 'off' ? 'off' : 'on',
    promptTokens: estimatePromptTokens(request),
    maxOutputTokens: params.max_completion_tokens,
    sentParameters: Object.keys(params) as ParameterName[],
    callerKeys,
  };
}
