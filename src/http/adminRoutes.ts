import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { AuthService } from '../auth/authenticatedKey.js';
import { invalidParameter } from '../core/gatewayError.js';
import type { BudgetPeriod } from '../limits/budgetDefinition.js';
import type { BudgetDefinitionCache } from '../store/budgetDefinitionCache.js';
import type { GatewayStore, KeyPatch, UsageGroupBy, UsageQuery } from '../store/gatewayStore.js';
import type { KeyManager } from '../store/keyManager.js';
import { createAdminGuard } from './adminAuth.js';
import {
  notFound, optionalBoolean, optionalEnum, optionalExpiry, optionalPositiveInteger, optionalString, parseTime, queryValue, readBody, requiredEnum,
  requiredString, requiredUsd,
} from './adminValidation.js';
import { GROUP_FIELDS, renderBudget, renderKey, renderTotals } from './adminWire.js';

export interface AdminRouteDeps {
  /** The config's `admin_key`; undefined or empty turns the admin API off (403). */
  adminKey: string | undefined;
  auth: AuthService;
  keys: KeyManager;
  budgets: Pick<BudgetDefinitionCache, 'put' | 'delete'>;
  store: Pick<GatewayStore, 'queryUsage' | 'listBudgets'>;
  wallClock: () => number;
}

/** Paths of the admin API and the methods each serves (for the 405 guards). */
export const ADMIN_ROUTE_METHODS: Record<string, HTTPMethods[]> = {
  '/v1/admin/keys': ['GET', 'POST'],
  '/v1/admin/keys/:id': ['GET', 'PATCH', 'DELETE'],
  '/v1/admin/keys/:id/revoke': ['POST'],
  '/v1/admin/budgets': ['GET', 'PUT'],
  '/v1/admin/budgets/:id': ['DELETE'],
  '/v1/admin/usage': ['GET'],
};

const KEY_KINDS = ['live', 'test'] as const;
const BUDGET_SCOPES = ['key', 'global'] as const;
const BUDGET_PERIODS: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly'];
const GROUP_BY: readonly UsageGroupBy[] = ['day', 'key', 'model', 'provider'];
const CREATE_FIELDS = ['name', 'kind', 'expires_at', 'rate_limit_rpm', 'tokens_per_minute', 'max_concurrent', 'tier'];
const PATCH_FIELDS = ['name', 'expires_at', 'rate_limit_rpm', 'tokens_per_minute', 'max_concurrent', 'tier'];
const BUDGET_FIELDS = ['scope', 'key_id', 'period', 'limit_usd', 'enforce'];
const NAME_MAX = 100;
const TIER_MAX = 64;

type IdParams = { Params: { id: string } };

/** `/v1/admin/...`: keys (create, list, get, update, revoke), budgets (put, list, delete) and usage totals. */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const preHandler = createAdminGuard(deps.adminKey, deps.auth, deps.wallClock);

  app.post('/v1/admin/keys', { preHandler }, async (request, reply) => {
    const body = readBody(request.body, CREATE_FIELDS);
    const now = deps.wallClock();
    const { key, secret } = await deps.keys.create({
      name: requiredString(body, 'name', NAME_MAX),
      kind: optionalEnum(body, 'kind', KEY_KINDS),
      expiresAt: optionalExpiry(body, 'expires_at', now),
      rateLimitRpm: optionalPositiveInteger(body, 'rate_limit_rpm'),
      tokensPerMinute: optionalPositiveInteger(body, 'tokens_per_minute'),
      maxConcurrent: optionalPositiveInteger(body, 'max_concurrent'),
      tier: optionalString(body, 'tier', TIER_MAX),
    });
    request.log.info({ keyId: key.id, name: key.name }, 'API key created');
    // The only response that ever carries the secret: no cache may keep it.
    reply.code(201).header('cache-control', 'no-store');
    return { ...renderKey(key, now), key: secret };
  });

  app.get('/v1/admin/keys', { preHandler }, async () => {
    const now = deps.wallClock();
    return { object: 'list', data: (await deps.keys.list()).map((key) => renderKey(key, now)) };
  });

  app.get<IdParams>('/v1/admin/keys/:id', { preHandler }, async (request) => {
    const key = await deps.keys.get(request.params.id);
    if (key === undefined) throw notFound(`No API key with id '${request.params.id}'.`);
    return renderKey(key, deps.wallClock());
  });

  app.patch<IdParams>('/v1/admin/keys/:id', { preHandler }, async (request) => {
    const body = readBody(request.body, PATCH_FIELDS);
    if (body.name === null) throw invalidParameter('name', "'name' cannot be null.");
    const now = deps.wallClock();
    const patch: KeyPatch = {
      name: optionalString(body, 'name', NAME_MAX) ?? undefined,
      expiresAt: optionalExpiry(body, 'expires_at', now),
      rateLimitRpm: optionalPositiveInteger(body, 'rate_limit_rpm'),
      tokensPerMinute: optionalPositiveInteger(body, 'tokens_per_minute'),
      maxConcurrent: optionalPositiveInteger(body, 'max_concurrent'),
      tier: optionalString(body, 'tier', TIER_MAX),
    };
    const key = await deps.keys.update(request.params.id, patch);
    request.log.info({ keyId: key.id, fields: Object.keys(body) }, 'API key updated');
    return renderKey(key, now);
  });

  const revoke = async (id: string, log: { info(object: unknown, message: string): void }) => {
    const key = await deps.keys.revoke(id);
    log.info({ keyId: key.id }, 'API key revoked');
    return renderKey(key, deps.wallClock());
  };
  app.post<IdParams>('/v1/admin/keys/:id/revoke', { preHandler }, async (request) => revoke(request.params.id, request.log));
  app.delete<IdParams>('/v1/admin/keys/:id', { preHandler }, async (request) => revoke(request.params.id, request.log));

  app.put('/v1/admin/budgets', { preHandler }, async (request, reply) => {
    const body = readBody(request.body, BUDGET_FIELDS);
    const scope = requiredEnum(body, 'scope', BUDGET_SCOPES);
    let keyId: string | null = null;
    if (scope === 'key') {
      keyId = requiredString(body, 'key_id', 100);
      if ((await deps.keys.get(keyId)) === undefined) throw invalidParameter('key_id', `No API key with id '${keyId}'.`);
    } else if (body.key_id !== undefined && body.key_id !== null) {
      throw invalidParameter('key_id', "A global budget has no 'key_id'; use scope 'key' for one key's budget.");
    }
    const period = requiredEnum(body, 'period', BUDGET_PERIODS);
    const limitMicros = requiredUsd(body, 'limit_usd');
    const enforce = optionalBoolean(body, 'enforce') ?? true;
    const { budget, created } = await deps.budgets.put({ scope, keyId, period, limitMicros, enforce }, deps.wallClock());
    request.log.info({ budgetId: budget.id, scope, keyId, period, limitMicros, enforce }, created ? 'budget created' : 'budget replaced');
    reply.code(created ? 201 : 200);
    return renderBudget(budget);
  });

  app.get('/v1/admin/budgets', { preHandler }, async (request) => {
    const keyId = queryValue(request.query, 'key_id');
    const budgets = await deps.store.listBudgets(keyId === undefined ? {} : { keyId });
    return { object: 'list', data: budgets.map(renderBudget) };
  });

  app.delete<IdParams>('/v1/admin/budgets/:id', { preHandler }, async (request) => {
    const deleted = await deps.budgets.delete(request.params.id);
    if (deleted === undefined) throw notFound(`No budget with id '${request.params.id}'.`);
    request.log.info({ budgetId: deleted.id }, 'budget deleted');
    return { object: 'budget', id: deleted.id, deleted: true };
  });

  app.get('/v1/admin/usage', { preHandler }, async (request) => {
    const query = usageQuery(request.query);
    const summary = await deps.store.queryUsage(query);
    const response: Record<string, unknown> = {
      object: 'usage',
      key_id: query.keyId ?? null,
      model: query.model ?? null,
      provider: query.provider ?? null,
      from: query.fromMs === undefined ? null : new Date(query.fromMs).toISOString(),
      to: query.toMs === undefined ? null : new Date(query.toMs).toISOString(),
      group_by: query.groupBy ?? null,
      totals: renderTotals(summary.totals),
    };
    if (query.groupBy !== undefined && summary.groups !== undefined) {
      const field = GROUP_FIELDS[query.groupBy];
      const names = query.groupBy === 'key' ? new Map((await deps.keys.list()).map((key) => [key.id, key.name])) : undefined;
      response.groups = summary.groups.map((group) => ({
        [field]: group.group,
        ...(names === undefined ? {} : { name: group.group === null ? null : (names.get(group.group) ?? null) }),
        ...renderTotals(group),
      }));
    }
    return response;
  });
}

function usageQuery(query: unknown): UsageQuery {
  const result: UsageQuery = {};
  const keyId = queryValue(query, 'key_id');
  const model = queryValue(query, 'model');
  const provider = queryValue(query, 'provider');
  const from = queryValue(query, 'from');
  const to = queryValue(query, 'to');
  const groupBy = queryValue(query, 'group_by');
  const known = new Set(['key_id', 'model', 'provider', 'from', 'to', 'group_by']);
  for (const name of Object.keys((query ?? {}) as object)) {
    if (!known.has(name)) throw invalidParameter(name, `Unknown query parameter '${name}'; allowed: ${[...known].join(', ')}.`);
  }
  if (keyId !== undefined) result.keyId = keyId;
  if (model !== undefined) result.model = model;
  if (provider !== undefined) result.provider = provider;
  if (from !== undefined) result.fromMs = parseTime(from, 'from');
  if (to !== undefined) result.toMs = parseTime(to, 'to');
  if (result.fromMs !== undefined && result.toMs !== undefined && result.toMs <= result.fromMs) throw invalidParameter('to', "'to' must be later than 'from'.");
  if (groupBy !== undefined) {
    if (!(GROUP_BY as readonly string[]).includes(groupBy)) throw invalidParameter('group_by', `'group_by' must be one of: ${GROUP_BY.join(', ')}.`);
    result.groupBy = groupBy as UsageGroupBy;
  }
  return result;
}
