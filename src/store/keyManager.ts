import { generateApiKey, hashApiKey, keyIdFromHash } from '../auth/apiKeyFormat.js';
import type { ApiKeyRecord } from '../auth/apiKeyRing.js';
import { GatewayError } from '../core/gatewayError.js';
import type { GatewayStore, KeyKind, KeyPatch, StoredKey } from './gatewayStore.js';
import type { StoreEvents } from './storeEvents.js';

/** A key as the admin API and the CLI show it: store keys and config keys alike, never a secret. */
export type ManagedKey = Omit<StoredKey, 'hash' | 'createdAt'> & {
  /** `store`: created through the admin API or CLI; `config`: from the config's `keys:` (read-only here). */
  source: 'store' | 'config';
  /** Wall-clock ms; null for config keys. */
  createdAt: number | null;
};

export interface NewKeyInput {
  name: string;
  kind?: KeyKind;
  expiresAt?: number | null;
  rateLimitRpm?: number | null;
  tokensPerMinute?: number | null;
  maxConcurrent?: number | null;
  tier?: string | null;
}

export interface ConfigKey {
  record: ApiKeyRecord;
  kind: KeyKind;
}

export interface KeyManagerOptions {
  store: Pick<GatewayStore, 'insertKey' | 'getKey' | 'listKeys' | 'updateKey' | 'revokeKey'>;
  configKeys: readonly ConfigKey[];
  /** This instance's auth cache (absent in the CLI). */
  cache?: { invalidate(keyId: string): void; prime(keys: readonly StoredKey[]): void };
  events: StoreEvents;
  /** Wall-clock ms. */
  wallClock: () => number;
}

/**
 * Creates, lists, changes and revokes keys. Every change reaches this instance's auth cache at once and the other
 * instances through `<prefix>keys` (or after their cache TTL without Redis). Config keys are listed but read-only:
 * the config file is their source of truth, so a restart can never bring back a key revoked here or lose a change.
 */
export class KeyManager {
  private readonly configById = new Map<string, ConfigKey>();

  constructor(private readonly options: KeyManagerOptions) {
    for (const configKey of options.configKeys) this.configById.set(configKey.record.keyId, configKey);
  }

  /** Stores a new key and returns its secret, which exists nowhere else from then on. */
  async create(input: NewKeyInput): Promise<{ key: ManagedKey; secret: string }> {
    const kind = input.kind ?? 'live';
    for (let attempt = 1; ; attempt++) {
      const secret = generateApiKey(kind);
      const hash = hashApiKey(secret);
      const id = keyIdFromHash(hash);
      try {
        const stored = await this.options.store.insertKey({
          id,
          name: input.name,
          kind,
          hash,
          createdAt: this.options.wallClock(),
          expiresAt: input.expiresAt ?? null,
          rateLimitRpm: input.rateLimitRpm ?? null,
          tokensPerMinute: input.tokensPerMinute ?? null,
          maxConcurrent: input.maxConcurrent ?? null,
          tier: input.tier ?? null,
        });
        this.options.cache?.prime([stored]);
        await this.options.events.publish('keys', { op: 'created', keyId: stored.id });
        return { key: fromStored(stored), secret };
      } catch (error) {
        // Only an id collision (64 bits of a random hash) is worth another try; anything else fails again.
        if (attempt >= 3 || (await this.options.store.getKey(id)) === undefined) throw error;
      }
    }
  }

  /** Config keys first (in config order), then store keys oldest first. */
  async list(): Promise<ManagedKey[]> {
    const stored = await this.options.store.listKeys();
    return [...[...this.configById.values()].map(fromConfig), ...stored.filter((key) => !this.configById.has(key.id)).map(fromStored)];
  }

  async get(id: string): Promise<ManagedKey | undefined> {
    const configKey = this.configById.get(id);
    if (configKey !== undefined) return fromConfig(configKey);
    const stored = await this.options.store.getKey(id);
    return stored === undefined ? undefined : fromStored(stored);
  }

  async update(id: string, patch: KeyPatch): Promise<ManagedKey> {
    this.refuseConfigKey(id, 'changed');
    const current = await this.options.store.getKey(id);
    if (current === undefined) throw notFound(id);
    if (current.revokedAt !== null) throw new GatewayError(409, 'invalid_request', `Key '${id}' is revoked; a revoked key cannot be changed.`);
    const updated = await this.options.store.updateKey(id, patch);
    if (updated === undefined) throw notFound(id);
    await this.changed(id, 'updated');
    return fromStored(updated);
  }

  /** Revokes a store key at once on this instance and on every instance listening on Redis; revoking twice keeps the first time. */
  async revoke(id: string): Promise<ManagedKey> {
    this.refuseConfigKey(id, 'revoked');
    const revoked = await this.options.store.revokeKey(id, this.options.wallClock());
    if (revoked === undefined) throw notFound(id);
    await this.changed(id, 'revoked');
    return fromStored(revoked);
  }

  private async changed(id: string, op: 'updated' | 'revoked'): Promise<void> {
    this.options.cache?.invalidate(id);
    await this.options.events.publish('keys', { op, keyId: id });
  }

  private refuseConfigKey(id: string, action: string): void {
    const configKey = this.configById.get(id);
    if (configKey === undefined) return;
    throw new GatewayError(
      409,
      'invalid_request',
      `Key '${id}' (${configKey.record.name}) comes from the config file's keys: and cannot be ${action} here; change or remove it in the config and restart.`,
    );
  }
}

function notFound(id: string): GatewayError {
  return new GatewayError(404, 'resource_not_found', `No API key with id '${id}'.`);
}

function fromStored(key: StoredKey): ManagedKey {
  return {
    id: key.id,
    name: key.name,
    kind: key.kind,
    source: 'store',
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    rateLimitRpm: key.rateLimitRpm,
    tokensPerMinute: key.tokensPerMinute,
    maxConcurrent: key.maxConcurrent,
    tier: key.tier,
  };
}

function fromConfig({ record, kind }: ConfigKey): ManagedKey {
  return {
    id: record.keyId,
    name: record.name,
    kind,
    source: 'config',
    createdAt: null,
    expiresAt: record.expiresAt,
    revokedAt: null,
    rateLimitRpm: record.rateLimitRpm,
    tokensPerMinute: record.tokensPerMinute,
    maxConcurrent: record.maxConcurrent,
    tier: record.tier,
  };
}
