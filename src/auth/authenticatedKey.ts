/** The calling key as the request path sees it (never the secret itself). */
export interface AuthenticatedKey {
  keyId: string;
  name: string;
  tier: string | null;
  /** Requests per minute, or null for no limit. */
  rateLimitRpm: number | null;
  /** Tokens (prompt + completion) per minute, or null for no limit. */
  tokensPerMinute: number | null;
  /** Requests in flight at once, or null for no limit. */
  maxConcurrent: number | null;
  /** Wall-clock ms, or null. */
  expiresAt: number | null;
}

/** Checks `Authorization: Bearer ak_...` and returns the key, or throws a 401 GatewayError. */
export interface AuthService {
  authenticate(authorization: string | undefined, now: number): AuthenticatedKey | Promise<AuthenticatedKey>;
}
