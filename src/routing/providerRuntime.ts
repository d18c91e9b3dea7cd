import type { ProviderConfig, ProviderType, TimeoutsConfig } from '../config/configSchema.js';

export interface ProviderTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

/** A configured provider as the gateway uses it. */
export interface ProviderRuntime {
  id: string;
  type: ProviderType;
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  timeouts: ProviderTimeouts;
  maxConnections: number;
  enabled: boolean;
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
    baseUrl: provider.base_url.replace(/\/+$/, ''),
    apiKey,
    headers: { ...(provider.headers ?? {}) },
    timeouts: {
      connectMs: provider.timeouts?.connect_ms ?? defaults.connect_ms ?? DEFAULT_TIMEOUTS.connectMs,
      firstByteMs: provider.timeouts?.first_byte_ms ?? defaults.first_byte_ms ?? DEFAULT_TIMEOUTS.firstByteMs,
      idleMs: provider.timeouts?.idle_ms ?? defaults.idle_ms ?? DEFAULT_TIMEOUTS.idleMs,
    },
    maxConnections: provider.max_connections ?? DEFAULT_MAX_CONNECTIONS,
    enabled,
    disabledReason: enabled ? undefined : 'api_key resolved to an empty value',
  };
}
