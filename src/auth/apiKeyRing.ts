import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../core/gatewayError.js';
import { API_KEY_PATTERN, hashApiKey, hashPresentedKey, keyIdFromHash } from './apiKeyFormat.js';
import type { AuthenticatedKey, AuthService } from './authenticatedKey.js';

export interface ApiKeyRecord extends AuthenticatedKey {
  hash: Buffer;
}

export interface ApiKeyInput {
  name: string;
  key: string;
  tier?: string | undefined;
  rateLimitRpm?: number | undefined;
  tokensPerMinute?: number | undefined;
  maxConcurrent?: number | undefined;
  expiresAt?: number | undefined;
}

/** The gateway's API keys, held only as SHA-256 hashes. */
export class ApiKeyRing implements AuthService {
  private readonly byHash = new Map<string, ApiKeyRecord>();

  add(input: ApiKeyInput): ApiKeyRecord {
    if (!API_KEY_PATTERN.test(input.key)) {
      throw new Error(`key '${input.name}' must be ak_live_ or ak_test_ followed by at least 32 letters and digits`);
    }
    const hash = hashApiKey(input.key);
    const record: ApiKeyRecord = {
      keyId: keyIdFromHash(hash),
      name: input.name,
      tier: input.tier ?? null,
      rateLimitRpm: input.rateLimitRpm ?? null,
      tokensPerMinute: input.tokensPerMinute ?? null,
      maxConcurrent: input.maxConcurrent ?? null,
      expiresAt: input.expiresAt ?? null,
      hash,
    };
    this.byHash.set(hash.toString('hex'), record);
    return record;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key presented in an `Authorization: Bearer ...` header, or a 401. */
  authenticate(authorization: string | undefined, now: number): ApiKeyRecord {
    const record = this.find(hashPresentedKey(readBearerKey(authorization)));
    if (record === undefined) throw unauthorized('invalid_api_key', 'Invalid API key.');
    if (record.expiresAt !== null && record.expiresAt <= now) throw unauthorized('expired_api_key', 'This API key has expired.');
    return record;
  }

  /** The record of a key hash, if this ring holds it (no expiry check). */
  find(hash: Buffer): ApiKeyRecord | undefined {
    const record = this.byHash.get(hash.toString('hex'));
    // The map finds the candidate by hash; the final check compares the hashes in constant time.
    return record !== undefined && timingSafeEqual(record.hash, hash) ? record : undefined;
  }

  /** Every record (hashes and settings, never secrets). */
  records(): ApiKeyRecord[] {
    return [...this.byHash.values()];
  }
}

/** The well-formed key of an `Authorization: Bearer ak_...` header, or a 401 `invalid_api_key`. */
export function readBearerKey(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') {
    throw unauthorized('invalid_api_key', 'Missing API key. Send it as "Authorization: Bearer ak_...".');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const key = match?.[1];
  if (key === undefined || !API_KEY_PATTERN.test(key)) {
    throw unauthorized('invalid_api_key', 'Malformed API key. Keys look like "ak_live_..." and go in "Authorization: Bearer <key>".');
  }
  return key;
}

function unauthorized(code: 'invalid_api_key' | 'expired_api_key', message: string): GatewayError {
  return new GatewayError(401, code, message);
}
