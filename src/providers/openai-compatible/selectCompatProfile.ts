import type { CompatProfileName } from '../../config/configSchema.js';

/** The public API hosts whose differences have a profile; any other host (a proxy, a local server) is generic. */
const PROFILE_BY_HOST: Readonly<Record<string, CompatProfileName>> = {
  'api.x.ai': 'xai',
  'api.mistral.ai': 'mistral',
  'api.groq.com': 'groq',
  'api.together.xyz': 'together',
  'api.together.ai': 'together',
  'api.fireworks.ai': 'fireworks',
};

/** The configured `compat_profile`, else the one of the base URL's host, else `generic`. */
export function selectCompatProfile(baseUrl: string, configured: CompatProfileName | undefined): CompatProfileName {
  if (configured !== undefined) return configured;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return 'generic';
  }
  return PROFILE_BY_HOST[host] ?? 'generic';
}
