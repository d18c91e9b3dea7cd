import { createHash, randomBytes } from 'node:crypto';

/** `ak_live_` or `ak_test_` followed by at least 32 base62 characters (contract §1). */
export const API_KEY_PATTERN = /^ak_(live|test)_[A-Za-z0-9]{32,}$/;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
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
