import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/authenticatedKey.js';
import type { BudgetDefinitions } from '../limits/budgetDefinition.js';
import { renderKeyBudget } from './adminWire.js';

/** `GET /v1/me`: who the calling key is (contract §9); unknown facts are null. */
export function registerMeRoute(app: FastifyInstance, deps: { auth: AuthService; wallClock: () => number; budgetDefinitions?: BudgetDefinitions }): void {
  app.get('/v1/me', async (request) => {
    const key = await deps.auth.authenticate(request.headers.authorization, deps.wallClock());
    const budget = deps.budgetDefinitions === undefined ? null : renderKeyBudget(await deps.budgetDefinitions.forKey(key.keyId));
    return { object: 'api_key_identity', key_id: key.keyId, name: key.name, tier: key.tier, rate_limit_rpm: key.rateLimitRpm, budget };
  });
}
