import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/gatewayError.js';
import type { AuthService } from '../auth/authenticatedKey.js';
import type { CatalogModel, ModelCatalog } from '../routing/modelCatalog.js';

export interface ModelRouteDeps {
  auth: AuthService;
  catalog: ModelCatalog;
  /** Unix seconds reported as `created` (the catalog carries no release dates). */
  createdAt: number;
  wallClock: () => number;
}

/** `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's list/object shape; aliases resolve to the canonical id. */
export function registerModelRoutes(app: FastifyInstance, deps: ModelRouteDeps): void {
  const toObject = (model: CatalogModel) => ({ id: model.id, object: 'model', created: deps.createdAt, owned_by: model.ownedBy });

  app.get('/v1/models', async (request) => {
    await deps.auth.authenticate(request.headers.authorization, deps.wallClock());
    return { object: 'list', data: deps.catalog.callable().map(toObject) };
  });

  // Model ids may contain slashes (`openai/gpt-4o-mini`), hence the wildcard.
  app.get('/v1/models/*', async (request) => {
    await deps.auth.authenticate(request.headers.authorization, deps.wallClock());
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const model = deps.catalog.resolve(id);
    if (model === undefined || model.offers.length === 0) {
      throw new GatewayError(404, 'model_not_found', `The model '${id}' does not exist. GET /v1/models lists the models you can call.`, { param: 'model' });
    }
    return toObject(model);
  });
}
