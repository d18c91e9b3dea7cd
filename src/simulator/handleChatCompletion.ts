import type { OutgoingHttpHeaders } from 'node:http';
import type { Behaviour } from './behaviour.js';
import { defaultErrorFields, openAiErrorBody } from './openAiErrorBody.js';
import { planCompletion, type SimulatedRequestBody } from './planCompletion.js';
import type { ProfileState } from './profileState.js';
import { renderStreamEvents } from './renderStreamEvents.js';
import type { ResponseDelivery } from './responseDelivery.js';
import type { ScriptBook } from './scriptBook.js';
import type { SimulatorIds } from './simulatorIds.js';
import { resolveBehaviour } from './resolveBehaviour.js';
import { SimulatorRequestError } from './simulatorRequestError.js';
import { writeCompletion } from './writeCompletion.js';
import { writeJson } from './writeJson.js';
import { writeStream } from './writeStream.js';

export { BEHAVIOUR_HEADER } from './resolveBehaviour.js';

const BAD_JSON_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  'The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, ' +
  'please contact us through our help center at help.openai.com.)';

export interface ChatCompletionContext {
  /** Parsed body; undefined when the body was not valid JSON. */
  body: unknown;
  behaviourHeader: string | string[] | undefined;
  profile: ProfileState;
  scripts: ScriptBook;
  ids: SimulatorIds;
  delivery: ResponseDelivery;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The same checks (and messages) OpenAI applies to `model` and `messages`. */
function validateRequest(body: unknown): SimulatedRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SimulatorRequestError(400, BAD_JSON_MESSAGE);
  const { model, messages } = body as { model?: unknown; messages?: unknown };
  if (model === undefined || model === null || model === '') {
    throw new SimulatorRequestError(400, "Missing required parameter: 'model'.", { param: 'model', code: 'missing_required_parameter' });
  }
  if (typeof model !== 'string') {
    throw new SimulatorRequestError(400, `Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`, { param: 'model', code: 'invalid_type' });
  }
  if (messages === undefined) {
    throw new SimulatorRequestError(400, "Missing required parameter: 'messages'.", { param: 'messages', code: 'missing_required_parameter' });
  }
  if (!Array.isArray(messages)) {
    throw new SimulatorRequestError(400, `Invalid type for 'messages': expected an array of objects, but got ${describeType(messages)} instead.`, {
      param: 'messages',
      code: 'invalid_type',
    });
  }
  if (messages.length === 0) {
    throw new SimulatorRequestError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", {
      param: 'messages',
      code: 'empty_array',
    });
  }
  return body as SimulatedRequestBody;
}

function scriptedErrorBody(behaviour: Behaviour, status: number): string {
  const { errorBody } = behaviour;
  if (typeof errorBody === 'string') return errorBody;
  if (errorBody !== undefined && errorBody !== null) return JSON.stringify(errorBody);
  const fields = defaultErrorFields(status);
  return openAiErrorBody({
    message: behaviour.errorMessage ?? fields.message,
    type: behaviour.errorType ?? fields.type,
    param: null,
    code: behaviour.errorCode === undefined ? fields.code : behaviour.errorCode,
  });
}

function writeScriptedError(behaviour: Behaviour, status: number, delivery: ResponseDelivery): void {
  delivery.timer.later(behaviour.ttftMs, () => {
    const headers: OutgoingHttpHeaders = delivery.baseHeaders();
    if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
    if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
    writeJson(delivery.response, status, scriptedErrorBody(behaviour, status), headers);
  });
}

/** Answers one `POST .../v1/chat/completions`; client mistakes are thrown as SimulatorRequestError. */
export function handleChatCompletion(context: ChatCompletionContext): void {
  const request = validateRequest(context.body);
  const { baseModel, behaviour } = resolveBehaviour(request.model, context.behaviourHeader, context.profile, context.scripts);

  const { delivery } = context;
  if (behaviour.reset === 'before-headers') {
    delivery.timer.later(behaviour.ttftMs, () => delivery.destroy());
    return;
  }
  if (behaviour.status !== undefined && (behaviour.status < 200 || behaviour.status > 299)) {
    writeScriptedError(behaviour, behaviour.status, delivery);
    return;
  }
  const plan = planCompletion(request, behaviour, behaviour.model ?? baseModel, context.ids);
  if (request.stream === true) {
    const includeUsage = request.stream_options?.include_usage === true;
    writeStream(renderStreamEvents(plan, includeUsage, behaviour.chunks), behaviour, delivery);
  } else {
    writeCompletion(plan, behaviour, delivery);
  }
}
