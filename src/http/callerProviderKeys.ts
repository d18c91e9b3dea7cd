import type { IncomingHttpHeaders } from 'node:http';

const PREFIX = 'x-provider-key-';

/** `X-Provider-Key-<provider id>` headers → provider id → key, for configured providers only (BYOK; never logged). */
export function callerProviderKeys(headers: IncomingHttpHeaders, providerIds: ReadonlySet<string>): ReadonlyMap<string, string> {
  let keys: Map<string, string> | undefined;
  for (const name in headers) {
    if (!name.startsWith(PREFIX)) continue;
    const providerId = name.slice(PREFIX.length);
    const value = headers[name];
    const key = Array.isArray(value) ? value[0] : value;
    if (key === undefined || key.trim() === '' || !providerIds.has(providerId)) continue;
    keys ??= new Map();
    keys.set(providerId, key.trim());
  }
  return keys ?? NO_KEYS;
}

const NO_KEYS: ReadonlyMap<string, string> = new Map();
