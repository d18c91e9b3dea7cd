import type { ChatRequest } from '../core/chatRequest.js';
import { GatewayError } from '../core/gatewayError.js';
import type { CatalogModel, ModelCatalog } from '../routing/modelCatalog.js';

/** The request's model ids → catalog models; an unknown or unusable id is a 404 naming it. */
export function resolveModels(request: ChatRequest, catalog: ModelCatalog): CatalogModel[] {
  const { models, modelsParam } = request.gateway;
  return models.map((id, index) => {
    const param = modelsParam === 'model' ? 'model' : `gateway.models[${index}]`;
    const model = catalog.resolve(id);
    if (model === undefined) {
      throw new GatewayError(404, 'model_not_found', `The model '${id}' does not exist. GET /v1/models lists the models you can call.`, { param });
    }
    if (model.offers.length === 0) {
      throw new GatewayError(404, 'model_not_found', `The model '${id}' is known but no configured provider offers it.`, { param });
    }
    return model;
  });
}
