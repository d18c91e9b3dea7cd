import type { CompatProfileName, ProviderConfig, ProviderType, TimeoutsConfig } from '../config/configSchema.js';

export interface ProviderTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

/** A configured provider as the gateway uses it. */
export interface ProviderRuntime {
  id: string;
  type: ProviderType;
  /** `compat_profile` from config (openai-compatible only); unset means chosen from the base URL's host. */
  compatProfile?: CompatProfileName | undefined;
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  timeouts: ProviderTimeouts;
  maxConnections: number;
  /** Usable with the gateway's own key (or needs no key) and served by an adapter. */
  enabled: boolean;
  /** Its key resolved empty: usable only with a caller's own key (`X-Provider-Key-<id>`). */
  byokOnly: boolean;
  /** Why a provider is disabled, for the start-up log. */
  disabledReason: string | undefined;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = { connectMs: 10_000, firstByteMs: 300_000, idleMs: 120_000 };
const DEFAULT_MAX_CONNECTIONS = 256;

export function buildProviderRuntime(provider: ProviderConfig, defaults: TimeoutsConfig): ProviderRuntime {
  // A key that is configured but resolves empty (unset ${ENV}) disables the provider instead of failing start-up.
  const keyConfigured = provider.api_key !== undefined;
  const apiKey = provider.api_key === undefined || provider.api_key === '' ? undefined : provider.api_key;
  const enabled = !keyConfigured || apiKey !== undefined;
  return {
    id: provider.id,
    type: provider.type,
    compatProfile: provider.compat_profile,
    baseUrl: provider.base_url.replace(/\/+$/, ''),
    apiKey,
    // Lowercased so a configured `Authorization` cannot travel next to the gateway's own `authorization`.
    headers: Object.fromEntries(Object.entries(provider.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    timeouts: {
      connectMs: provider.timeouts?.connect_ms ?? defaults.connect_ms ?? DEFAULT_TIMEOUTS.connectMs,
      firstByteMs: provider.timeouts?.first_byte_ms ?? defaults.first_byte_ms ?? DEFAULT_TIMEOUTS.firstByteMs,
      idleMs: provider.timeouts?.idle_ms ?? defaults.idle_ms ?? DEFAULT_TIMEOUTS.idleMs,
    },
    maxConnections: provider.max_connections ?? DEFAULT_MAX_CONNECTIONS,
    enabled,
    byokOnly: !enabled,
    disabledReason: enabled ? undefined : 'api_key resolved to an empty value; usable only with callers\' own keys (X-Provider-Key-' + provider.id + ')',
  };
}
