import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_KEY_PATTERN, hashApiKey } from '../auth/apiKeyFormat.js';
import type { AuthService } from '../auth/authenticatedKey.js';
import { GatewayError } from '../core/gatewayError.js';

/**
 * The admin API's gate: `Authorization: Bearer <admin_key>`, compared in constant time (both sides hashed to 32
 * bytes first). A missing or wrong key is 401 `invalid_api_key`; a valid ordinary API key is 403
 * `insufficient_permissions`; without `admin_key` in the config the admin API is off (403, saying so).
 */
export function createAdminGuard(adminKey: string | undefined, auth: AuthService, wallClock: () => number): (request: FastifyRequest) => Promise<void> {
  const adminHash = adminKey === undefined || adminKey === '' ? undefined : hashApiKey(adminKey);
  return async (request) => {
    if (adminHash === undefined) {
      throw new GatewayError(403, 'insufficient_permissions', 'The admin API is disabled: no admin_key is configured. Set admin_key in the config to use it.');
    }
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization === '') {
      throw new GatewayError(401, 'invalid_api_key', 'Missing admin key. Send it as "Authorization: Bearer <admin key>".');
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token === undefined) throw new GatewayError(401, 'invalid_api_key', 'Malformed Authorization header; use "Authorization: Bearer <admin key>".');
    if (timingSafeEqual(hashApiKey(token), adminHash)) return;
    if (API_KEY_PATTERN.test(token)) {
      try {
        await auth.authenticate(authorization, wallClock());
      } catch {
        throw new GatewayError(401, 'invalid_api_key', 'Invalid admin key.');
      }
      throw new GatewayError(403, 'insufficient_permissions', 'This API key cannot use the admin API; use the admin key.');
    }
    throw new GatewayError(401, 'invalid_api_key', 'Invalid admin key.');
  };
}
