import { createHash, randomBytes } from 'node:crypto';

/** `ak_live_` or `ak_test_` followed by at least 32 base62 characters (contract §1). */
export const API_KEY_PATTERN = /^ak_(live|test)_[A-Za-z0-9]{32,}$/;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

const PRESENTED_CACHE_SIZE = 10_000;
const presentedHashes = new Map<string, Buffer>();

/**
 * The hash of a key presented on a request. The same few keys arrive on every request, so their hashes are
 * remembered (bounded) instead of recomputed; only hashes are ever stored or compared.
 */
export function hashPresentedKey(key: string): Buffer {
  let hash = presentedHashes.get(key);
  if (hash === undefined) {
    hash = hashApiKey(key);
    if (presentedHashes.size >= PRESENTED_CACHE_SIZE) presentedHashes.clear();
    presentedHashes.set(key, hash);
  }
  return hash;
}

/** A stable, non-secret id for a key: derived from its hash, safe to log. */
export function keyIdFromHash(hash: Buffer): string {
  return 'key_' + hash.subarray(0, 8).toString('hex');
}

export function generateApiKey(kind: 'live' | 'test', length = 40): string {
  let key = `ak_${kind}_`;
  // Rejection sampling keeps the characters uniform (256 is not a multiple of 62).
  while (key.length < 8 + length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && key.length < 8 + length) key += BASE62[byte % 62];
    }
  }
  return key;
}
