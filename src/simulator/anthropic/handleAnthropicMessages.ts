import type { OutgoingHttpHeaders } from 'node:http';
import { mergeBehaviour, type Behaviour } from '../behaviour.js';
import { planCompletion } from '../planCompletion.js';
import { BEHAVIOUR_HEADER, resolveBehaviour } from '../resolveBehaviour.js';
import type { ResponseDelivery } from '../responseDelivery.js';
import type { SimulatorRequestContext } from '../simulatorProtocol.js';
import { SimulatorRequestError } from '../simulatorRequestError.js';
import { writeCompletion } from '../writeCompletion.js';
import { writeJson } from '../writeJson.js';
import { writeStream } from '../writeStream.js';
import { anthropicErrorBody, anthropicErrorType, defaultAnthropicMessage } from './anthropicErrorBody.js';
import { anthropicIds } from './anthropicIds.js';
import { renderAnthropicMessage } from './renderAnthropicMessage.js';
import { renderAnthropicStreamEvents } from './renderAnthropicStreamEvents.js';
import { simulatedMessage } from './simulatedMessage.js';
import { toSimulatedRequest } from './toSimulatedRequest.js';
import { validateAnthropicRequest, type AnthropicRequest } from './validateAnthropicRequest.js';

/** Thinking tokens of a request that asks for thinking while the behaviour sets none: a real model always thinks a little. */
export const DEFAULT_THINKING_TOKENS = 16;

function scriptedError(behaviour: Behaviour, status: number, requestId: string): string {
  const { errorBody } = behaviour;
  if (typeof errorBody === 'string') return errorBody;
  if (errorBody !== undefined && errorBody !== null) return JSON.stringify(errorBody);
  const type = anthropicErrorType(status, behaviour.errorType);
  // A scripted OpenAI-style error code becomes Anthropic's `error.details.error_code` (e.g. enforced_spend_limit_reached).
  const details = typeof behaviour.errorCode === 'string' ? { error_code: behaviour.errorCode } : undefined;
  return anthropicErrorBody(type, behaviour.errorMessage ?? defaultAnthropicMessage(type), requestId, details);
}

function writeScriptedError(behaviour: Behaviour, status: number, delivery: ResponseDelivery, requestId: string): void {
  delivery.timer.later(behaviour.ttftMs, () => {
    const headers: OutgoingHttpHeaders = delivery.baseHeaders();
    if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
    if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
    // Anthropic tells its SDKs to retry overloads and rate limits.
    if (status === 429 || status >= 500) headers['x-should-retry'] = 'true';
    writeJson(delivery.response, status, scriptedError(behaviour, status, requestId), headers);
  });
}

/** `event: error` after the 200, by default the overload a real stream can end with. */
function streamErrorEvent(requestId: string): (behaviour: Behaviour) => string {
  return (behaviour) => {
    const type = behaviour.errorType === undefined ? 'overloaded_error' : anthropicErrorType(500, behaviour.errorType);
    const error = { type, message: behaviour.errorMessage ?? defaultAnthropicMessage(type) };
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error, request_id: requestId })}\n\n`;
  };
}

/** Thinking runs when asked for, or by default when the behaviour makes the model think unasked (reasoningText). */
function thinkingRuns(request: AnthropicRequest, behaviour: Behaviour): boolean {
  if (request.thinking !== undefined) return request.thinking.type !== 'disabled';
  return behaviour.reasoningText !== 'none';
}

/** Answers one `POST .../v1/messages` like Anthropic's Messages API, driven by the shared behaviour engine. */
export function handleAnthropicMessages(context: SimulatorRequestContext): void {
  const version = context.headers['anthropic-version'];
  if (version === undefined || version === '') throw new SimulatorRequestError(400, 'anthropic-version: header is required');
  const request = validateAnthropicRequest(context.body);
  const { baseModel, behaviour } = resolveBehaviour(request.model, context.headers[BEHAVIOUR_HEADER], context.profile, context.scripts);
  const { delivery } = context;
  if (behaviour.reset === 'before-headers') {
    delivery.timer.later(behaviour.ttftMs, () => delivery.destroy());
    return;
  }
  if (behaviour.status !== undefined && (behaviour.status < 200 || behaviour.status > 299)) {
    writeScriptedError(behaviour, behaviour.status, delivery, context.requestId);
    return;
  }

  const thinking = thinkingRuns(request, behaviour);
  const budget = request.thinking?.type === 'enabled' ? request.thinking.budget_tokens : undefined;
  const thoughtTokens = Math.min(behaviour.reasoningTokens > 0 ? behaviour.reasoningTokens : DEFAULT_THINKING_TOKENS, budget ?? Number.POSITIVE_INFINITY);
  // Anthropic has no hidden reasoning: tokens are thought in a thinking block or not at all.
  const effective = mergeBehaviour(behaviour, { reasoningText: thinking ? 'reasoning_content' : 'none', reasoningTokens: thinking ? thoughtTokens : 0 });
  const plan = planCompletion(toSimulatedRequest(request), effective, behaviour.model ?? baseModel, anthropicIds(context.ids));
  const message = simulatedMessage(plan, request, effective, thinking);
  if (request.stream) writeStream(renderAnthropicStreamEvents(message, effective.chunks), effective, delivery, streamErrorEvent(context.requestId));
  else writeCompletion(plan, effective, delivery, () => renderAnthropicMessage(message));
}
