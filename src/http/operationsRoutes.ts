import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/gatewayError.js';
import { hashApiKey } from '../auth/apiKeyFormat.js';
import type { GatewayMetrics } from '../observability/gatewayMetrics.js';
import type { ModelCatalog } from '../routing/modelCatalog.js';

export interface OperationsRouteDeps {
  metrics: GatewayMetrics;
  catalog: ModelCatalog;
  /** When set, `/metrics` needs `Authorization: Bearer <admin key>`. */
  metricsAdminKey: string | undefined;
  /** Rejects when the store is unreachable. */
  checkStore?: () => Promise<void>;
}

/** `/health` (the process is up), `/ready` (it can serve), `/metrics` (Prometheus). */
export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsRouteDeps): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    const models = deps.catalog.callable().length;
    const checks: Record<string, string> = { models: models === 0 ? 'no configured provider offers any model' : `${models} callable` };
    let storeReachable = true;
    if (deps.checkStore !== undefined) {
      storeReachable = await deps.checkStore().then(() => true, (error: unknown) => {
        checks.store = `unreachable: ${(error as Error).message}`;
        return false;
      });
      if (storeReachable) checks.store = 'reachable';
    }
    if (models === 0 || !storeReachable) {
      reply.code(503);
      return { status: 'not_ready', checks };
    }
    return { status: 'ready', checks };
  });

  const adminHash = deps.metricsAdminKey === undefined ? undefined : hashApiKey(deps.metricsAdminKey);
  app.get('/metrics', async (request, reply) => {
    if (adminHash !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (match?.[1] === undefined || !timingSafeEqual(hashApiKey(match[1]), adminHash)) {
        throw new GatewayError(401, 'invalid_api_key', '/metrics requires the admin key.');
      }
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
