import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { ApiKeyRing } from './auth/apiKeyRing.js';
import type { AuthService } from './auth/authenticatedKey.js';
import type { BudgetGuard } from './limits/budgetGuard.js';
import type { RequestLimiter } from './limits/requestLimiter.js';
import { createLimitServices } from './limits/createLimitServices.js';
import { ChatExecutor } from './chat/chatExecutor.js';
import { createReasoningMemory, type ReasoningMemoryService } from './chat/reasoning/createReasoningMemory.js';
import type { ReasoningMemory } from './chat/reasoning/reasoningMemory.js';
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
import { ConversationAffinity } from './routing/conversationAffinity.js';
import { MemoryOfferStats } from './routing/memoryOfferStats.js';
import type { OfferStats } from './routing/offerStats.js';
import { RedisRoutingShare } from './routing/redisRoutingShare.js';
import { RoutingEngine } from './routing/routingEngine.js';
import { connectRedis, waitForRedis } from './store/redisConnection.js';
import { createStoreServices, type StoreServices } from './store/createStoreServices.js';
import type { GatewayStore } from './store/gatewayStore.js';
import type { StoreEvents } from './store/storeEvents.js';
import type { LedgerScheduler } from './ledger/ledgerWriter.js';
import type { ModelCatalog } from './routing/modelCatalog.js';
import { MemoryOfferHealth } from './routing/memoryOfferHealth.js';
import type { OfferHealth } from './routing/offerHealth.js';
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
  stats?: OfferStats;
  router?: Router;
  /** Uniform random numbers in [0, 1) for routing picks; seed it for reproducible routing. */
  random?: () => number;
  usageSinks?: UsageSink[];
  adapterEffects?: AdapterEffects;
  now?: () => number;
  wallClock?: () => number;
  metrics?: GatewayMetrics;
  auth?: AuthService;
  limiter?: RequestLimiter;
  budgets?: BudgetGuard;
  /** Replaces the store named by `store:` (e.g. a shared in-memory SQLite store). */
  store?: GatewayStore;
  /** Replaces Redis pub/sub for key and budget changes. */
  storeEvents?: StoreEvents;
  ledgerScheduler?: LedgerScheduler;
  /** Replaces the reasoning memory chosen from config (in-process, or backed by Redis). */
  reasoning?: ReasoningMemory;
}

export interface Gateway {
  app: FastifyInstance;
  /** Connects shared state (Redis) and loads what other instances learned; call before listening. */
  start(): Promise<void>;
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  keys: ApiKeyRing;
  /** Store, ledger, key management, budget definitions and spend history (see src/store/createStoreServices.ts). */
  store: StoreServices;
  logger: Logger;
  /** Stops accepting requests, lets in-flight ones finish, closes upstream pools. */
  close(): Promise<void>;
}

/** Share of requests that go to an unmeasured offer so that it gets measured. */
const EXPLORATION_RATE = 0.05;

/** The composition root: config → every part of the gateway, wired. The only place that picks implementations. */
export function createGateway(config: Config, overrides: GatewayOverrides = {}): Gateway {
  const logger = overrides.logger ?? createLogger(config.logging.level);
  const now = overrides.now ?? (() => performance.now());
  const wallClock = overrides.wallClock ?? (() => Date.now());
  const adapters = createAdapterRegistry(overrides.adapterEffects ?? defaultAdapterEffects);

  const providers = new Map<string, ProviderRuntime>();
  for (const providerConfig of config.providers) {
    const provider = buildProviderRuntime(providerConfig, config.timeouts);
    if (adapters.forProvider(provider) === undefined) {
      provider.enabled = false;
      provider.byokOnly = false;
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
        tokensPerMinute: key.tokens_per_minute,
        maxConcurrent: key.max_concurrent,
        expiresAt: key.expires_at === undefined ? undefined : Date.parse(key.expires_at),
      });
    } catch (error) {
      throw new ConfigError(`keys[${index}].key: ${(error as Error).message}`);
    }
  });
  const storeServices = createStoreServices({
    config,
    ring: keys,
    logger,
    now,
    wallClock,
    store: overrides.store,
    events: overrides.storeEvents,
    ledgerScheduler: overrides.ledgerScheduler,
  });

  const metrics = overrides.metrics ?? new GatewayMetrics();
  const memoryHealth = new MemoryOfferHealth();
  const memoryStats = new MemoryOfferStats();
  const share = config.redis === undefined || overrides.stats !== undefined || overrides.health !== undefined ? undefined : createRoutingShare(config.redis, config.redis_key_prefix, memoryStats, memoryHealth, logger, wallClock);
  const health = overrides.health ?? memoryHealth;
  const stats = overrides.stats ?? share?.share.stats ?? memoryStats;
  const router =
    overrides.router ??
    new RoutingEngine({ stats, health, affinity: new ConversationAffinity(), random: overrides.random ?? Math.random, explorationRate: EXPLORATION_RATE });
  const transport = overrides.transport ?? new UndiciTransport();
  const reasoning: ReasoningMemoryService = overrides.reasoning === undefined
    ? createReasoningMemory({ redisUrl: config.redis, prefix: config.redis_key_prefix, logger, clock: wallClock })
    : { memory: overrides.reasoning, start: () => Promise.resolve(), close: () => undefined };
  const executor = new ChatExecutor({ catalog, providers, adapters, transport, router, health, stats, metrics, reasoning: reasoning.memory, now, wallClock });
  const limits = createLimitServices({
    config,
    logger,
    metrics,
    wallClock,
    budgetDefinitions: storeServices.budgetDefinitions,
    spendHistory: storeServices.spendHistory,
    pgPool: storeServices.postgresPool,
  });
  // Budget changes reach the limits' cache once the store's cache holds them (here at once, elsewhere via Redis or reload).
  storeServices.budgetDefinitions.onChange((change) => limits.budgetsChanged(change.keyId));
  const recorder = new RequestRecorder(logger, metrics, [...(overrides.usageSinks ?? []), storeServices.ledger], now, wallClock);
  metrics.watchLedger(() => storeServices.ledger.getStats());
  const auth = overrides.auth ?? storeServices.auth;
  const app = buildApp({
    logger,
    auth,
    limiter: overrides.limiter ?? limits.limiter,
    budgets: overrides.budgets ?? limits.budgets,
    catalog,
    providers,
    executor,
    health,
    stats,
    metrics,
    recorder,
    maxBodyBytes: config.limits.max_body_bytes,
    metricsAdminKey: config.metrics.require_admin_key ? config.admin_key : undefined,
    now,
    wallClock,
    admin: { adminKey: config.admin_key, auth, keys: storeServices.keys, budgets: storeServices.budgetDefinitions, store: storeServices.store, wallClock },
    budgetDefinitions: storeServices.budgetDefinitions,
    checkStore: () => storeServices.checkStore(),
  });
  if (config.metrics.require_admin_key && (config.admin_key === undefined || config.admin_key === '')) {
    throw new ConfigError('metrics.require_admin_key: true needs admin_key to be set');
  }

  return {
    app,
    catalog,
    providers,
    keys,
    store: storeServices,
    logger,
    start: async () => {
      await storeServices.start();
      await Promise.all([limits.start(), reasoning.start()]);
      if (share === undefined) return;
      try {
        await Promise.all([waitForRedis(share.publisher), waitForRedis(share.subscriber)]);
        await share.share.start();
      } catch (error) {
        // Shared state is an optimisation: without Redis each instance routes on what it measures itself.
        logger.warn({ err: error }, 'Redis unavailable: routing measurements and breakers stay local to this instance');
      }
    },
    close: async () => {
      // In-flight requests and streams finish; a connection that goes idle after its last response is closed at once
      // rather than after the keep-alive timeout (Fastify closes only the connections idle when close() starts).
      const idleReaper = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(idleReaper);
      }
      await transport.close();
      await limits.close();
      reasoning.close();
      // After the server has stopped (in-flight requests and streams done): every usage record is queued by now.
      await storeServices.close();
      logger.flush();
      if (share !== undefined) {
        await share.share.close().catch(() => undefined);
        share.publisher.disconnect();
        share.subscriber.disconnect();
      }
    },
  };
}

function createRoutingShare(url: string, prefix: string, stats: MemoryOfferStats, health: MemoryOfferHealth, logger: Logger, wallClock: () => number) {
  const publisher = connectRedis(url, 'switchyard-routing');
  const subscriber = connectRedis(url, 'switchyard-routing-events', { subscriber: true });
  // Connection errors are reported once by start() and by failed flushes; ioredis keeps retrying.
  publisher.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const share = new RedisRoutingShare({ publisher, subscriber, prefix, instanceId: randomUUID(), stats, health, logger, wallClock });
  return { publisher, subscriber, share };
}
