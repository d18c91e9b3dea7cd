import type { Behaviour } from '../behaviour.js';
import { parseModelName } from '../parseModelName.js';
import { planCompletion } from '../planCompletion.js';
import { BEHAVIOUR_HEADER, resolveBehaviour } from '../resolveBehaviour.js';
import type { SimulatorRequestContext } from '../simulatorProtocol.js';
import { SimulatorRequestError } from '../simulatorRequestError.js';
import { writeCompletion } from '../writeCompletion.js';
import { writeStream } from '../writeStream.js';
import { geminiModelFamily } from './geminiModelFamily.js';
import type { GeminiAnswer } from './renderGeminiResponse.js';
import { renderGeminiResponse } from './renderGeminiResponse.js';
import { renderGeminiStreamEvents } from './renderGeminiStreamEvents.js';
import { toSimulatedRequest } from './toSimulatedRequest.js';
import { validateGeminiRequest } from './validateGeminiRequest.js';
import { geminiStreamErrorEvent, writeGeminiError } from './writeGeminiError.js';

export const API_KEY_HEADER = 'x-goog-api-key';

export function apiKeyInvalid(): SimulatorRequestError {
  return new SimulatorRequestError(400, 'API key not valid. Please pass a valid API key.', { type: 'INVALID_ARGUMENT', code: 'API_KEY_INVALID' });
}

/** The request's query string (the protocol interface passes the path without it). */
function query(context: SimulatorRequestContext): URLSearchParams {
  const url = context.delivery.response.req.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start < 0 ? '' : url.slice(start + 1));
}

/** A key sent as `?key=` instead of the header (the header, when present, was checked by `authenticate`). */
function checkQueryKey(context: SimulatorRequestContext, params: URLSearchParams): void {
  const expected = context.profile.apiKey;
  if (expected === undefined || context.headers[API_KEY_HEADER] !== undefined) return;
  const key = params.get('key');
  if (key === null || key === '') {
    throw new SimulatorRequestError(
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      { type: 'PERMISSION_DENIED' },
    );
  }
  if (key !== expected) throw apiKeyInvalid();
}

/**
 * Whether the model thinks for this request: Gemini 3 always; 2.5 when asked to (thinkingConfig) or scripted to
 * (reasoning tokens), never with a budget of 0.
 */
function thinks(model: string, generationConfig: Record<string, unknown> | undefined, behaviour: Behaviour): { thought: boolean; includeThoughts: boolean } {
  const thinking = generationConfig?.thinkingConfig as Record<string, unknown> | undefined;
  const family = geminiModelFamily(model);
  const asked = family.generation3 || thinking !== undefined || behaviour.reasoningTokens > 0;
  return { thought: family.thinks && asked && thinking?.thinkingBudget !== 0, includeThoughts: thinking?.includeThoughts === true };
}

/**
 * Answers `POST .../v1beta/models/{model}:generateContent` and `:streamGenerateContent` with the shared behaviour
 * engine: timing, tokens, tool calls, cached and reasoning tokens, and faults, in Gemini's shapes.
 */
export function handleGenerateContent(context: SimulatorRequestContext, pathModel: string, stream: boolean): void {
  const params = query(context);
  checkQueryKey(context, params);
  const body = validateGeminiRequest(context.body, parseModelName(pathModel).baseModel);
  const { baseModel, behaviour } = resolveBehaviour(pathModel, context.headers[BEHAVIOUR_HEADER], context.profile, context.scripts);
  const { delivery } = context;
  if (behaviour.reset === 'before-headers') {
    delivery.timer.later(behaviour.ttftMs, () => delivery.destroy());
    return;
  }
  if (behaviour.status !== undefined && (behaviour.status < 200 || behaviour.status > 299)) {
    writeGeminiError(behaviour, behaviour.status, delivery);
    return;
  }
  const { thought, includeThoughts } = thinks(baseModel, body.generationConfig, behaviour);
  // Visible thoughts only with includeThoughts; no thinking at all with a budget of 0.
  const effective: Behaviour = { ...behaviour, reasoningTokens: thought ? behaviour.reasoningTokens : 0, reasoningText: thought && includeThoughts ? 'reasoning_content' : 'none' };
  const plan = planCompletion(toSimulatedRequest(body, baseModel), effective, behaviour.model ?? baseModel, context.ids);
  const answer: GeminiAnswer = { responseId: plan.id.slice(plan.id.indexOf('-') + 1), thought };
  if (!stream) {
    writeCompletion(plan, effective, delivery, (planned) => renderGeminiResponse(planned, answer));
  } else if (params.get('alt') === 'sse') {
    writeStream(renderGeminiStreamEvents(plan, answer, behaviour.chunks), effective, delivery, geminiStreamErrorEvent);
  } else {
    // Without alt=sse Google streams one JSON array of the same responses; sent here in one piece.
    const events = renderGeminiStreamEvents(plan, answer, behaviour.chunks);
    writeCompletion(plan, effective, delivery, () => `[${events.map((event) => event.text.slice('data: '.length).trimEnd()).join(',\n')}]`);
  }
}
