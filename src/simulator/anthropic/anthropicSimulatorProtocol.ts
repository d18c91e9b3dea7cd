import type { IncomingHttpHeaders } from 'node:http';
import type { ProfileState } from '../profileState.js';
import type { SimulatorEndpoint, SimulatorProtocol } from '../simulatorProtocol.js';
import { SimulatorRequestError } from '../simulatorRequestError.js';
import { anthropicRequestErrorBody } from './anthropicErrorBody.js';
import { handleAnthropicMessages } from './handleAnthropicMessages.js';

const MESSAGES: SimulatorEndpoint = { method: 'POST', handle: handleAnthropicMessages };
const ROUTE = /^\/v1\/messages\/?$/;

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Checks `x-api-key` like Anthropic does (401 `authentication_error`). */
function checkApiKey(profile: ProfileState, headers: IncomingHttpHeaders): void {
  if (profile.apiKey === undefined) return;
  const key = headerText(headers['x-api-key']);
  if (key === profile.apiKey) return;
  throw new SimulatorRequestError(401, key === '' ? 'x-api-key header is required' : 'invalid x-api-key', { type: 'authentication_error' });
}

/** Anthropic's Messages API: `POST /v1/messages` under a profile (`profileRoot(id)` is the provider's base_url). */
export const anthropicSimulatorProtocol: SimulatorProtocol = {
  name: 'anthropic',
  endpoint: (path) => (ROUTE.test(path) ? MESSAGES : undefined),
  authenticate: checkApiKey,
  responseHeaders: (requestId) => ({ 'request-id': requestId }),
  errorBody: anthropicRequestErrorBody,
};
