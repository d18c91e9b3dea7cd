import type { IncomingHttpHeaders } from 'node:http';
import { BEHAVIOUR_HEADER, handleChatCompletion } from '../handleChatCompletion.js';
import { maskApiKey } from '../maskApiKey.js';
import { openAiErrorBody } from '../openAiErrorBody.js';
import type { ProfileState } from '../profileState.js';
import type { SimulatorEndpoint, SimulatorProtocol } from '../simulatorProtocol.js';
import { SimulatorRequestError } from '../simulatorRequestError.js';
import { writeJson } from '../writeJson.js';

const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
  "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. " +
  'You can obtain an API key from https://platform.openai.com/account/api-keys.';

const CHAT_COMPLETIONS: SimulatorEndpoint = {
  method: 'POST',
  handle: (context) =>
    handleChatCompletion({
      body: context.body,
      behaviourHeader: context.headers[BEHAVIOUR_HEADER],
      profile: context.profile,
      scripts: context.scripts,
      ids: context.ids,
      delivery: context.delivery,
    }),
};

const MODELS: SimulatorEndpoint = {
  method: 'GET',
  handle: ({ profile, startedAt, delivery }) => {
    const data = [...profile.models].map((id) => ({ id, object: 'model', created: startedAt, owned_by: 'switchyard-simulator' }));
    writeJson(delivery.response, 200, JSON.stringify({ object: 'list', data }), delivery.baseHeaders());
  },
};

const ENDPOINTS: Readonly<Record<string, SimulatorEndpoint>> = { 'chat/completions': CHAT_COMPLETIONS, models: MODELS };
const ROUTE = /^\/v1\/(chat\/completions|models)\/?$/;

/** Checks `Authorization: Bearer <key>` like OpenAI does; throws the 401 OpenAI would send. */
function checkApiKey(profile: ProfileState, headers: IncomingHttpHeaders): void {
  if (profile.apiKey === undefined) return;
  const authorization = headers.authorization;
  const match = authorization === undefined ? null : /^Bearer\s+(.*)$/i.exec(authorization.trim());
  const key = match?.[1]?.trim() ?? '';
  if (key === profile.apiKey) return;
  if (key === '') throw new SimulatorRequestError(401, MISSING_KEY_MESSAGE);
  throw new SimulatorRequestError(
    401,
    `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    { code: 'invalid_api_key' },
  );
}

/** OpenAI chat completions (`/v1/chat/completions`, `/v1/models`); also how unknown URLs are answered. */
export const openaiSimulatorProtocol: SimulatorProtocol = {
  name: 'openai',
  endpoint(path) {
    const match = ROUTE.exec(path);
    return match === null ? undefined : ENDPOINTS[match[1] as string];
  },
  authenticate: checkApiKey,
  responseHeaders: (requestId, elapsedMs) => ({ 'x-request-id': requestId, 'openai-processing-ms': String(Math.round(elapsedMs)), 'openai-version': '2020-10-01' }),
  errorBody: (error) => openAiErrorBody(error.fields),
};
