import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { GatewayError } from '../core/gatewayError.js';
import type { GatewayStore, StoredKey } from '../store/gatewayStore.js';
import { hashPresentedKey } from './apiKeyFormat.js';
import { readBearerKey, type ApiKeyRing } from './apiKeyRing.js';
import type { AuthenticatedKey, AuthService } from './authenticatedKey.js';

export interface StoreAuthServiceOptions {
  /** Keys from the config file: consulted first, never looked up in the store. */
  ring: ApiKeyRing;
  store: Pick<GatewayStore, 'findKeyByHash'>;
  /** True while changes of other instances arrive at once (Redis pub/sub); then `liveTtlMs` applies instead of `ttlMs`. */
  isLive: () => boolean;
  /** Monotonic ms, for cache ages. */
  clock: () => number;
  /** Longest time a cached answer is trusted without Redis (config `auth.cache_ttl_ms`, default 5 s). */
  ttlMs: number;
  /** Safety net with a live subscription, should a message be lost (default 60 s). */
  liveTtlMs?: number;
  /** Unknown hashes remembered (default 10 000); the oldest is forgotten first. */
  negativeCacheSize?: number;
  /** Known keys remembered (default 100 000). */
  positiveCacheSize?: number;
  /** Store look-ups in flight at once (default 8); more wait in a queue of `maxQueuedLookups` (default 1000). */
  maxConcurrentLookups?: number;
  maxQueuedLookups?: number;
  logger: Logger;
}

interface CacheEntry {
  key: AuthenticatedKey;
  hash: Buffer;
  revoked: boolean;
  fetchedAt: number;
}

/** null: the store has no such key. */
type LookupResult = CacheEntry | null;

/**
 * Authenticates API keys without a database on the request path: config keys from the in-memory ring, store keys
 * from a cache filled on first use (one store look-up per key and TTL, shared by concurrent requests). Unknown hashes
 * are remembered in a bounded negative cache, and look-ups run through a small semaphore, so random keys cannot
 * hammer the store. An entry is refreshed in the background once it is half its TTL old and re-read before use once
 * it is older than the TTL; revocations and updates evict it at once (`invalidate`, called locally and on Redis
 * messages). Expiry is checked on every request against the cached expiry.
 */
export class StoreAuthService implements AuthService {
  private readonly positive = new Map<string, CacheEntry>();
  private readonly negative = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<LookupResult>>();
  /** Bumped by every invalidation: a look-up that started before it must not cache what it read. */
  private generation = 0;
  private activeLookups = 0;
  private readonly waiting: (() => void)[] = [];
  private lastStoreErrorLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StoreAuthServiceOptions) {}

  authenticate(authorization: string | undefined, now: number): AuthenticatedKey | Promise<AuthenticatedKey> {
    const hash = hashPresentedKey(readBearerKey(authorization));
    const configKey = this.options.ring.find(hash);
    if (configKey !== undefined) return checkExpiry(configKey, now);

    const hex = hash.toString('hex');
    const ttl = this.ttl();
    const age = (fetchedAt: number) => this.options.clock() - fetchedAt;
    const entry = this.positive.get(hex);
    if (entry !== undefined) {
      const entryAge = age(entry.fetchedAt);
      if (entryAge < ttl) {
        if (entryAge >= ttl / 2) {
          this.lookup(hex, hash).catch((error: unknown) => {
            if (!(error instanceof GatewayError)) this.logStoreError(error, 'key store unreachable: could not refresh a cached key');
          });
        }
        return accept(entry, hash, now);
      }
    } else {
      const missAt = this.negative.get(hex);
      if (missAt !== undefined && age(missAt) < ttl) throw invalidKey();
    }
    return this.lookupAndAccept(hex, hash, now, entry);
  }

  /** Forgets what is cached about a key (after a revocation or an update, here or on another instance). */
  invalidate(keyId: string): void {
    this.generation++;
    for (const [hex, entry] of this.positive) if (entry.key.keyId === keyId) this.positive.delete(hex);
    // A key id is `key_` + the first 16 hex digits of its hash.
    const prefix = keyId.startsWith('key_') ? keyId.slice(4) : undefined;
    if (prefix !== undefined) for (const hex of this.negative.keys()) if (hex.startsWith(prefix)) this.negative.delete(hex);
  }

  /** Forgets everything (e.g. after a Redis reconnect, when messages may have been missed). */
  clear(): void {
    this.generation++;
    this.positive.clear();
    this.negative.clear();
  }

  /** Caches keys known to be current (preloaded at start, or just created or updated here). */
  prime(keys: readonly StoredKey[]): void {
    const fetchedAt = this.options.clock();
    for (const key of keys) this.remember(key.hash.toString('hex'), toEntry(key, fetchedAt));
  }

  get cacheSizes(): { positive: number; negative: number } {
    return { positive: this.positive.size, negative: this.negative.size };
  }

  private async lookupAndAccept(hex: string, hash: Buffer, now: number, stale: CacheEntry | undefined): Promise<AuthenticatedKey> {
    let found: LookupResult;
    try {
      found = await this.lookup(hex, hash);
    } catch (error) {
      const overloaded = error instanceof GatewayError;
      if (stale !== undefined) {
        // The store is down (or busy): a key that was valid moments ago stays usable rather than failing every request.
        if (!overloaded) this.logStoreError(error, 'key store unreachable: using the cached key beyond its TTL');
        return accept(stale, hash, now);
      }
      if (overloaded) throw error;
      this.logStoreError(error, 'key store unreachable: cannot check an API key');
      throw new GatewayError(503, 'internal_error', 'The key store is unreachable; try again shortly.', { retryable: true, retryAfterSeconds: 1, cause: error });
    }
    if (found === null) throw invalidKey();
    return accept(found, hash, now);
  }

  /** One store read per hash at a time; caches the answer unless an invalidation happened meanwhile. */
  private lookup(hex: string, hash: Buffer): Promise<LookupResult> {
    const running = this.inflight.get(hex);
    if (running !== undefined) return running;
    const generation = this.generation;
    const promise = this.withLookupSlot(() => this.options.store.findKeyByHash(hash))
      .then((key) => {
        const result = key === undefined ? null : toEntry(key, this.options.clock());
        if (generation === this.generation) {
          if (result === null) this.rememberMiss(hex);
          else this.remember(hex, result);
        }
        return result;
      })
      .finally(() => this.inflight.delete(hex));
    this.inflight.set(hex, promise);
    return promise;
  }

  private async withLookupSlot<T>(read: () => Promise<T>): Promise<T> {
    const limit = this.options.maxConcurrentLookups ?? 8;
    if (this.activeLookups >= limit) {
      if (this.waiting.length >= (this.options.maxQueuedLookups ?? 1_000)) {
        throw new GatewayError(503, 'internal_error', 'Too many API keys are being checked at once; try again shortly.', { retryable: true, retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.activeLookups++;
    }
    try {
      return await read();
    } finally {
      // The slot passes straight to the next waiter, so the count stays correct.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.activeLookups--;
    }
  }

  private remember(hex: string, entry: CacheEntry): void {
    this.negative.delete(hex);
    this.positive.delete(hex);
    this.positive.set(hex, entry);
    evictOldest(this.positive, this.options.positiveCacheSize ?? 100_000);
  }

  private rememberMiss(hex: string): void {
    this.positive.delete(hex);
    this.negative.delete(hex);
    this.negative.set(hex, this.options.clock());
    evictOldest(this.negative, this.options.negativeCacheSize ?? 10_000);
  }

  private ttl(): number {
    return this.options.isLive() ? (this.options.liveTtlMs ?? 60_000) : this.options.ttlMs;
  }

  private logStoreError(error: unknown, message: string): void {
    const now = this.options.clock();
    if (now - this.lastStoreErrorLog < 5_000) return;
    this.lastStoreErrorLog = now;
    this.options.logger.error({ err: error }, message);
  }
}

function toEntry(key: StoredKey, fetchedAt: number): CacheEntry {
  return {
    key: {
      keyId: key.id,
      name: key.name,
      tier: key.tier,
      rateLimitRpm: key.rateLimitRpm,
      tokensPerMinute: key.tokensPerMinute,
      maxConcurrent: key.maxConcurrent,
      expiresAt: key.expiresAt,
    },
    hash: key.hash,
    revoked: key.revokedAt !== null,
    fetchedAt,
  };
}

function accept(entry: CacheEntry, hash: Buffer, now: number): AuthenticatedKey {
  if (entry.hash.length !== hash.length || !timingSafeEqual(entry.hash, hash)) throw invalidKey();
  if (entry.revoked) throw new GatewayError(401, 'invalid_api_key', 'This API key has been revoked.');
  return checkExpiry(entry.key, now);
}

function checkExpiry<T extends AuthenticatedKey>(key: T, now: number): T {
  if (key.expiresAt !== null && key.expiresAt <= now) throw new GatewayError(401, 'expired_api_key', 'This API key has expired.');
  return key;
}

function invalidKey(): GatewayError {
  return new GatewayError(401, 'invalid_api_key', 'Invalid API key.');
}

function evictOldest<V>(map: Map<string, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) return;
    map.delete(oldest.value);
  }
}
