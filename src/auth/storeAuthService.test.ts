import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/gatewayError.js';
import type { StoredKey } from '../store/gatewayStore.js';
import { generateApiKey, hashApiKey, keyIdFromHash } from './apiKeyFormat.js';
import { ApiKeyRing } from './apiKeyRing.js';
import type { AuthenticatedKey } from './authenticatedKey.js';
import { StoreAuthService, type StoreAuthServiceOptions } from './storeAuthService.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const CONFIG_KEY = `ak_live_${'C0nfig'.repeat(7)}`;

class FakeKeyStore {
  keys = new Map<string, StoredKey>();
  lookups = 0;
  fail = false;
  gate: Promise<void> | undefined;

  add(secret: string, overrides: Partial<StoredKey> = {}): StoredKey {
    const hash = hashApiKey(secret);
    const key: StoredKey = {
      id: keyIdFromHash(hash),
      name: 'stored',
      kind: 'live',
      hash,
      createdAt: NOW,
      expiresAt: null,
      revokedAt: null,
      rateLimitRpm: 60,
      tokensPerMinute: 1000,
      maxConcurrent: 2,
      tier: 'gold',
      ...overrides,
    };
    this.keys.set(hash.toString('hex'), key);
    return key;
  }

  async findKeyByHash(hash: Buffer): Promise<StoredKey | undefined> {
    this.lookups++;
    // Read as the query would: the row as it is when the query runs, delivered later.
    const key = this.keys.get(hash.toString('hex'));
    if (this.gate !== undefined) await this.gate;
    if (this.fail) throw new Error('connection refused');
    return key === undefined ? undefined : { ...key };
  }
}

function setup(options: Partial<StoreAuthServiceOptions> & { live?: boolean } = {}) {
  const store = new FakeKeyStore();
  const clock = { now: 0 };
  const ring = new ApiKeyRing();
  ring.add({ name: 'from-config', key: CONFIG_KEY, rateLimitRpm: 5 });
  let live = options.live ?? false;
  const auth = new StoreAuthService({
    ring,
    store,
    isLive: () => live,
    clock: () => clock.now,
    ttlMs: 5_000,
    logger: pino({ level: 'silent' }),
    ...options,
  });
  return { store, clock, auth, ring, setLive: (value: boolean) => (live = value) };
}

async function authenticate(auth: StoreAuthService, secret: string, now = NOW): Promise<AuthenticatedKey> {
  return auth.authenticate(`Bearer ${secret}`, now);
}

async function refusal(auth: StoreAuthService, secret: string, now = NOW): Promise<GatewayError> {
  try {
    await authenticate(auth, secret, now);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('the key was accepted');
}

describe('StoreAuthService', () => {
  it('answers config keys from the ring, never asking the store', async () => {
    const { store, auth } = setup();
    expect(await authenticate(auth, CONFIG_KEY)).toMatchObject({ name: 'from-config', rateLimitRpm: 5 });
    expect(store.lookups).toBe(0);
  });

  it('loads a store key once, then answers from memory (synchronously) with its limits', async () => {
    const { store, auth } = setup();
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    expect(await authenticate(auth, secret)).toEqual({
      keyId: stored.id, name: 'stored', tier: 'gold', rateLimitRpm: 60, tokensPerMinute: 1000, maxConcurrent: 2, expiresAt: null,
    });
    const second = auth.authenticate(`Bearer ${secret}`, NOW);
    expect(second).not.toBeInstanceOf(Promise);
    expect(store.lookups).toBe(1);
  });

  it('shares one store look-up among concurrent requests for the same key', async () => {
    const { store, auth } = setup();
    const secret = generateApiKey('live');
    store.add(secret);
    let open: () => void = () => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    const pending = Array.from({ length: 20 }, () => authenticate(auth, secret));
    open();
    await Promise.all(pending);
    expect(store.lookups).toBe(1);
  });

  it('remembers unknown keys, so repeating one does not reach the store again within the TTL', async () => {
    const { store, clock, auth } = setup();
    const unknown = generateApiKey('live');
    for (let i = 0; i < 50; i++) expect((await refusal(auth, unknown)).code).toBe('invalid_api_key');
    expect(store.lookups).toBe(1);
    clock.now += 5_000;
    await refusal(auth, unknown);
    expect(store.lookups).toBe(2);
  });

  it('bounds the negative cache: the oldest unknown key is forgotten first', async () => {
    const { store, auth } = setup({ negativeCacheSize: 3 });
    const unknown = Array.from({ length: 4 }, () => generateApiKey('live'));
    for (const key of unknown) await refusal(auth, key);
    expect(auth.cacheSizes.negative).toBe(3);
    await refusal(auth, unknown[3] as string);
    expect(store.lookups).toBe(4);
    await refusal(auth, unknown[0] as string);
    expect(store.lookups).toBe(5);
  });

  it('runs at most maxConcurrentLookups store reads at once and refuses beyond the queue with a retryable 503', async () => {
    const { store, auth } = setup({ maxConcurrentLookups: 2, maxQueuedLookups: 3 });
    let open: () => void = () => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    let inFlight = 0;
    let maxInFlight = 0;
    const find = store.findKeyByHash.bind(store);
    store.findKeyByHash = async (hash) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await find(hash);
      } finally {
        inFlight--;
      }
    };
    const attempts = Array.from({ length: 6 }, () => refusal(auth, generateApiKey('live')));
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const errors = await Promise.all(attempts);
    expect(maxInFlight).toBe(2);
    expect(errors.filter((error) => error.status === 503)).toHaveLength(1);
    expect(errors.filter((error) => error.code === 'invalid_api_key')).toHaveLength(5);
    const overloaded = errors.find((error) => error.status === 503);
    expect(overloaded?.retryable).toBe(true);
  });

  it('checks expiry on every request from the cached key (401 expired_api_key)', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('test');
    store.add(secret, { expiresAt: NOW + 1_000 });
    await authenticate(auth, secret, NOW + 999);
    const error = await refusal(auth, secret, NOW + 1_000);
    expect(error).toMatchObject({ status: 401, code: 'expired_api_key' });
    expect(store.lookups).toBe(1);
  });

  it('refuses a revoked key with 401 invalid_api_key', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('live');
    store.add(secret, { revokedAt: NOW - 1 });
    const error = await refusal(auth, secret);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', message: 'This API key has been revoked.' });
  });

  it('without Redis: a revocation elsewhere is seen once the entry is older than the TTL', async () => {
    const { auth, store, clock } = setup();
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    await authenticate(auth, secret);
    store.keys.set(stored.hash.toString('hex'), { ...stored, revokedAt: NOW });
    clock.now = 1_000;
    await authenticate(auth, secret); // still cached
    clock.now = 5_000;
    expect((await refusal(auth, secret)).code).toBe('invalid_api_key');
  });

  it('refreshes an entry in the background once half its TTL old, so steady traffic never waits on the store', async () => {
    const { auth, store, clock } = setup();
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    await authenticate(auth, secret);
    clock.now = 2_600;
    store.keys.set(stored.hash.toString('hex'), { ...stored, name: 'renamed' });
    const answer = auth.authenticate(`Bearer ${secret}`, NOW);
    expect(answer).not.toBeInstanceOf(Promise);
    expect((answer as AuthenticatedKey).name).toBe('stored');
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.lookups).toBe(2);
    clock.now = 7_000; // older than the TTL counted from the first load, but refreshed at 2 600
    const refreshed = auth.authenticate(`Bearer ${secret}`, NOW);
    expect(refreshed).not.toBeInstanceOf(Promise);
    expect((refreshed as AuthenticatedKey).name).toBe('renamed');
  });

  it('with a live Redis subscription: entries live longer, and invalidate() takes effect at once', async () => {
    const { auth, store, clock } = setup({ live: true, liveTtlMs: 60_000 });
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    await authenticate(auth, secret);
    store.keys.set(stored.hash.toString('hex'), { ...stored, revokedAt: NOW });
    clock.now = 20_000;
    await authenticate(auth, secret); // no TTL expiry yet: only a message can stop it
    auth.invalidate(stored.id);
    expect((await refusal(auth, secret)).code).toBe('invalid_api_key');
  });

  it('invalidate() also forgets a remembered miss for the key id (a key created after a failed try)', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('live');
    await refusal(auth, secret);
    const stored = store.add(secret);
    await refusal(auth, secret);
    auth.invalidate(stored.id);
    expect((await authenticate(auth, secret)).keyId).toBe(stored.id);
  });

  it('does not cache what a look-up read if the key was invalidated while it ran', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    let open: () => void = () => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    const first = authenticate(auth, secret);
    await new Promise((resolve) => setImmediate(resolve));
    store.keys.set(stored.hash.toString('hex'), { ...stored, revokedAt: NOW });
    auth.invalidate(stored.id);
    store.gate = undefined;
    open();
    await first; // began before the revocation
    expect((await refusal(auth, secret)).code).toBe('invalid_api_key');
  });

  it('clear() forgets everything (after a Redis reconnect)', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('live');
    store.add(secret);
    await authenticate(auth, secret);
    auth.clear();
    await authenticate(auth, secret);
    expect(store.lookups).toBe(2);
  });

  it('prime() makes keys known without a store read', async () => {
    const { auth, store } = setup();
    const secret = generateApiKey('live');
    const stored = store.add(secret);
    auth.prime([stored]);
    await authenticate(auth, secret);
    expect(store.lookups).toBe(0);
  });

  it('keeps serving a cached key past its TTL while the store is down; an unknown key gets a retryable 503', async () => {
    const { auth, store, clock } = setup();
    const secret = generateApiKey('live');
    store.add(secret);
    await authenticate(auth, secret);
    store.fail = true;
    clock.now = 60_000;
    expect((await authenticate(auth, secret)).name).toBe('stored');
    const error = await refusal(auth, generateApiKey('live'));
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it('rejects malformed headers like the ring does, before any store read', async () => {
    const { auth, store } = setup();
    for (const header of [undefined, '', 'Basic abc', 'Bearer sk-123', `Bearer ak_live_${'a'.repeat(31)}`]) {
      let error: unknown;
      try {
        await auth.authenticate(header, NOW);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    }
    expect(store.lookups).toBe(0);
  });
});
