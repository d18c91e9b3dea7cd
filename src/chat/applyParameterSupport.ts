import type { ChatParameters, ChatRequest, ParameterName } from '../core/chatRequest.js';
import type { Warning } from '../core/warning.js';
import type { Offer } from '../routing/offer.js';

/**
 * Without `require_parameters`, parameters an offer does not accept are dropped for that offer, each with an
 * `unsupported_parameter` warning (never silently). Returns the request unchanged when nothing is dropped.
 */
export function applyParameterSupport(request: ChatRequest, offer: Offer): { request: ChatRequest; warnings: Warning[] } {
  const supported = offer.supportedParameters;
  if (supported === undefined || request.gateway.routing.require_parameters === true) return { request, warnings: [] };
  let params: ChatParameters | undefined;
  const warnings: Warning[] = [];
  for (const name of Object.keys(request.params) as ParameterName[]) {
    if (supported.has(name)) continue;
    params ??= { ...request.params };
    delete params[name];
    warnings.push({
      code: 'unsupported_parameter',
      param: name,
      message: `'${name}' is not supported by ${offer.providerId} for ${offer.upstreamModel} and was dropped.`,
    });
  }
  return params === undefined ? { request, warnings } : { request: { ...request, params }, warnings };
}
