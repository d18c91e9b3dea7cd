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
}

/** `/health` (the process is up), `/ready` (it can serve), `/metrics` (Prometheus). */
export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsRouteDeps): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    const models = deps.catalog.callable().length;
    if (models === 0) {
      reply.code(503);
      return { status: 'not_ready', checks: { models: 'no configured provider offers any model' } };
    }
    return { status: 'ready', checks: { models: `${models} callable` } };
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
