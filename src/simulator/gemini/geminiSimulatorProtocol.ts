import type { IncomingHttpHeaders } from 'node:http';
import type { ProfileState } from '../profileState.js';
import type { SimulatorProtocol } from '../simulatorProtocol.js';
import type { SimulatorRequestError } from '../simulatorRequestError.js';
import { errorInfo, googleErrorBody, httpStatusFor, rpcStatusFor } from './googleErrorBody.js';
import { API_KEY_HEADER, apiKeyInvalid, handleGenerateContent } from './handleGenerateContent.js';

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** Checks `x-goog-api-key` like Google (a wrong key is 400 INVALID_ARGUMENT, API_KEY_INVALID); `?key=` is checked by the endpoint. */
function checkApiKey(profile: ProfileState, headers: IncomingHttpHeaders): void {
  const header = headers[API_KEY_HEADER];
  if (profile.apiKey === undefined || header === undefined) return;
  const key = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (key !== profile.apiKey) throw apiKeyInvalid();
}

/** A client mistake as a google.rpc.Status body: `fields.type` names the rpc status, `fields.code` an ErrorInfo reason. */
function errorBody(error: SimulatorRequestError): string {
  const named = error.fields.type;
  const rpc = httpStatusFor(named) === undefined ? rpcStatusFor(error.status) : named;
  const reason = error.fields.code;
  const details = reason !== null && /^[A-Z][A-Z_]+$/.test(reason) ? [errorInfo(reason)] : [];
  return googleErrorBody(error.status, error.message, rpc, details);
}

/**
 * Google's Generative Language API: `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent[?alt=sse]` under a profile (`profileRoot(id)` is the provider's base_url).
 */
export const geminiSimulatorProtocol: SimulatorProtocol = {
  name: 'gemini',
  endpoint(path) {
    const match = ROUTE.exec(path);
    if (match === null) return undefined;
    let model: string;
    try {
      model = decodeURIComponent(match[1] as string);
    } catch {
      model = match[1] as string;
    }
    const stream = match[2] === 'streamGenerateContent';
    return { method: 'POST', handle: (context) => handleGenerateContent(context, model, stream) };
  },
  authenticate: checkApiKey,
  responseHeaders: (_requestId, elapsedMs) => ({ 'server-timing': `gfet4t7; dur=${Math.round(elapsedMs)}` }),
  errorBody,
};
