import Fastify, { LogController, errorCodes, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AuthService } from './auth/authenticatedKey.js';
import type { BudgetGuard } from './limits/budgetGuard.js';
import type { RequestLimiter } from './limits/requestLimiter.js';
import type { BudgetDefinitions } from './limits/budgetDefinition.js';
import type { ChatExecutor } from './chat/chatExecutor.js';
import { GatewayError } from './core/gatewayError.js';
import { ADMIN_ROUTE_METHODS, registerAdminRoutes, type AdminRouteDeps } from './http/adminRoutes.js';
import { registerChatCompletionsRoute } from './http/chatCompletionsRoute.js';
import { errorHeaders, renderErrorEnvelope } from './http/errorEnvelope.js';
import './http/fastifyTypes.js';
import { registerMeRoute } from './http/meRoute.js';
import { registerMethodGuards } from './http/registerMethodGuards.js';
import { registerModelRoutes } from './http/modelRoutes.js';
import { registerOperationsRoutes } from './http/operationsRoutes.js';
import { registerRegistryRoutes } from './http/registryRoutes.js';
import type { RequestRecorder } from './http/requestRecorder.js';
import { requestIdFor } from './http/requestId.js';
import { newRequestState } from './http/requestState.js';
import { parseJsonBody } from './http/parseJsonBody.js';
import { toGatewayError } from './http/toGatewayError.js';
import type { GatewayMetrics } from './observability/gatewayMetrics.js';
import type { ModelCatalog } from './routing/modelCatalog.js';
import type { OfferHealth } from './routing/offerHealth.js';
import type { OfferStats } from './routing/offerStats.js';
import type { ProviderRuntime } from './routing/providerRuntime.js';

export interface AppDeps {
  logger: Logger;
  auth: AuthService;
  limiter: RequestLimiter;
  budgets: BudgetGuard;
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  executor: ChatExecutor;
  health: OfferHealth;
  stats: OfferStats;
  metrics: GatewayMetrics;
  recorder: RequestRecorder;
  maxBodyBytes: number;
  metricsAdminKey: string | undefined;
  /** Monotonic ms. */
  now: () => number;
  /** Wall-clock ms. */
  wallClock: () => number;
  /** The admin API (`/v1/admin/...`); absent: not served. */
  admin?: AdminRouteDeps;
  /** Budgets shown by `GET /v1/me`. */
  budgetDefinitions?: BudgetDefinitions;
  /** Rejects when the store is unreachable (`/ready` answers 503). */
  checkStore?: () => Promise<void>;
}

/** Builds the HTTP application (routes, hooks, error mapping); never listens, so tests can inject or listen on port 0. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed with the default logger type.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One line per request is written by the recorder; Fastify's own two lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    genReqId: requestIdFor,
    return503OnClosing: true,
    // A child logger per request costs microseconds on every request; lines that need the request id carry it.
    childLoggerFactory: (logger) => logger,
  });

  app.decorateRequest('state', null as never);
  // Callback hooks: async ones cost a promise and a microtask hop each on every request.
  app.addHook('onRequest', (request, reply, done) => {
    request.state = newRequestState(deps.now());
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    deps.recorder.finish(request.state, { requestId: request.id, method: request.method, url: request.url, status: reply.statusCode });
    done();
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body.length === 0) {
      done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      return;
    }
    try {
      done(null, parseJsonBody(body as string));
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
  });
  // Clients that forget the JSON content type (curl -d) still get their body parsed as JSON.
  // fetch() with a string body sends text/plain, whose built-in parser would hand the route a string.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.status >= 500 && gatewayError.code === 'internal_error') request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    if (request.state !== null && request.state !== undefined) request.state.errorCode = gatewayError.code;
    reply.code(gatewayError.status).headers(errorHeaders(gatewayError));
    return renderErrorEnvelope(gatewayError);
  });

  app.setNotFoundHandler(async (request) => {
    throw new GatewayError(404, 'resource_not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });

  registerChatCompletionsRoute(app, deps);
  registerModelRoutes(app, { ...deps, createdAt: Math.floor(deps.wallClock() / 1000) });
  registerMeRoute(app, deps);
  registerRegistryRoutes(app, deps);
  registerOperationsRoutes(app, deps);
  if (deps.admin !== undefined) registerAdminRoutes(app, deps.admin);
  registerMethodGuards(app, {
    ...(deps.admin === undefined ? {} : ADMIN_ROUTE_METHODS),
    '/v1/chat/completions': ['POST'],
    '/v1/models': ['GET'],
    '/v1/models/*': ['GET'],
    '/v1/me': ['GET'],
    '/v1/registry/providers': ['GET'],
    '/v1/registry/models': ['GET'],
    '/v1/directory/models': ['GET'],
    '/health': ['GET'],
    '/ready': ['GET'],
    '/metrics': ['GET'],
  });
  return app;
}
