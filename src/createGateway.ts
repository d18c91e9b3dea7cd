import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { ApiKeyRing } from './auth/apiKeyRing.js';
import { ChatExecutor } from './chat/chatExecutor.js';
import { ConfigError } from './config/configError.js';
import type { Config, ModelConfig } from './config/configSchema.js';
import { loadBuiltinCatalog } from './config/loadBuiltinCatalog.js';
import { RequestRecorder } from './http/requestRecorder.js';
import type { UsageSink } from './ledger/usageRecord.js';
import { createLogger } from './observability/createLogger.js';
import { GatewayMetrics } from './observability/gatewayMetrics.js';
import { defaultAdapterEffects, type AdapterEffects } from './providers/adapterEffects.js';
import { createAdapterRegistry } from './providers/registry.js';
import { buildModelCatalog } from './routing/buildModelCatalog.js';
import { CheapestFirstRouter } from './routing/cheapestFirstRouter.js';
import type { ModelCatalog } from './routing/modelCatalog.js';
import { MemoryOfferHealth, type OfferHealth } from './routing/offerHealth.js';
import { buildProviderRuntime, type ProviderRuntime } from './routing/providerRuntime.js';
import type { Router } from './routing/router.js';
import { UndiciTransport } from './upstream/undiciTransport.js';
import type { UpstreamTransport } from './upstream/upstreamTransport.js';

/** Effects and parts a caller may replace (tests inject clocks, transports, catalogs). */
export interface GatewayOverrides {
  logger?: Logger;
  transport?: UpstreamTransport;
  builtinModels?: readonly ModelConfig[];
  health?: OfferHealth;
  router?: Router;
  usageSinks?: UsageSink[];
  adapterEffects?: AdapterEffects;
  now?: () => number;
  wallClock?: () => number;
  metrics?: GatewayMetrics;
}

export interface Gateway {
  app: FastifyInstance;
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  keys: ApiKeyRing;
  logger: Logger;
  /** Stops accepting requests, lets in-flight ones finish, closes upstream pools. */
  close(): Promise<void>;
}

/** The composition root: config → every part of the gateway, wired. The only place that picks implementations. */
export function createGateway(config: Config, overrides: GatewayOverrides = {}): Gateway {
  const logger = overrides.logger ?? createLogger(config.logging.level);
  const now = overrides.now ?? (() => performance.now());
  const wallClock = overrides.wallClock ?? (() => Date.now());
  const adapters = createAdapterRegistry(overrides.adapterEffects ?? defaultAdapterEffects);

  const providers = new Map<string, ProviderRuntime>();
  for (const providerConfig of config.providers) {
    const provider = buildProviderRuntime(providerConfig, config.timeouts);
    if (provider.enabled && !adapters.has(provider.type)) {
      provider.enabled = false;
      provider.disabledReason = `provider type '${provider.type}' has no adapter in this version`;
    }
    if (!provider.enabled) logger.warn({ provider: provider.id, type: provider.type, reason: provider.disabledReason }, 'provider disabled');
    providers.set(provider.id, provider);
  }

  const builtinModels = config.catalog === 'builtin' ? (overrides.builtinModels ?? loadBuiltinCatalog()) : [];
  const catalog = buildModelCatalog({ builtinModels, configModels: config.models, providers });

  const keys = new ApiKeyRing();
  config.keys.forEach((key, index) => {
    if (key.key === '') {
      logger.warn({ key: key.name }, 'API key skipped: its value resolved to an empty string');
      return;
    }
    try {
      keys.add({
        name: key.name,
        key: key.key,
        tier: key.tier,
        rateLimitRpm: key.rate_limit_rpm,
        expiresAt: key.expires_at === undefined ? undefined : Date.parse(key.expires_at),
      });
    } catch (error) {
      throw new ConfigError(`keys[${index}].key: ${(error as Error).message}`);
    }
  });
  if (keys.size === 0) logger.warn('no API keys configured: every chat request will be refused with 401');

  const metrics = overrides.metrics ?? new GatewayMetrics();
  const health = overrides.health ?? new MemoryOfferHealth();
  const router = overrides.router ?? new CheapestFirstRouter(health);
  const transport = overrides.transport ?? new UndiciTransport();
  const executor = new ChatExecutor({ catalog, providers, adapters, transport, router, health, metrics, now, wallClock });
  const recorder = new RequestRecorder(logger, metrics, overrides.usageSinks ?? [], now, wallClock);
  const app = buildApp({
    logger,
    keys,
    catalog,
    providers,
    executor,
    health,
    metrics,
    recorder,
    maxBodyBytes: config.limits.max_body_bytes,
    metricsAdminKey: config.metrics.require_admin_key ? config.admin_key : undefined,
    now,
    wallClock,
  });
  if (config.metrics.require_admin_key && (config.admin_key === undefined || config.admin_key === '')) {
    throw new ConfigError('metrics.require_admin_key: true needs admin_key to be set');
  }

  return {
    app,
    catalog,
    providers,
    keys,
    logger,
    close: async () => {
      await app.close();
      await transport.close();
    },
  };
}
