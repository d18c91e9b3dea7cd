import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { API_KEY_PATTERN, hashApiKey, keyIdFromHash } from '../auth/apiKeyFormat.js';
import type { ApiKeyRing } from '../auth/apiKeyRing.js';
import { StoreAuthService } from '../auth/storeAuthService.js';
import { ConfigError } from '../config/configError.js';
import type { Config } from '../config/configSchema.js';
import { LedgerSpendHistory } from '../ledger/ledgerSpendHistory.js';
import { JsonLinesSpillFile } from '../ledger/ledgerSpill.js';
import { LedgerWriter, type LedgerScheduler } from '../ledger/ledgerWriter.js';
import type { SpendHistory } from '../limits/budgetDefinition.js';
import { BudgetDefinitionCache } from './budgetDefinitionCache.js';
import { createStore } from './createStore.js';
import type { GatewayStore, KeyKind } from './gatewayStore.js';
import { KeyManager, type ConfigKey } from './keyManager.js';
import { MIGRATIONS } from './migrations/index.js';
import { PostgresStore } from './postgresStore.js';
import { unknownMigrations } from './migrations/migration.js';
import { LocalStoreEvents, RedisStoreEvents, type StoreEvents } from './storeEvents.js';
import { describeStoreLocation, parseStoreLocation, spillPathFor } from './storeLocation.js';

export interface StoreServicesOptions {
  config: Config;
  /** The config's `keys:`, already loaded (createGateway builds it). */
  ring: ApiKeyRing;
  logger: Logger;
  /** Monotonic ms (cache ages). */
  now: () => number;
  /** Wall-clock ms (key times, expiry). */
  wallClock: () => number;
  /** Replaces the store named by `config.store` (tests). */
  store?: GatewayStore;
  /** Replaces `config.redis` for change notifications (tests). */
  events?: StoreEvents;
  ledgerScheduler?: LedgerScheduler;
}

/** Everything built on the store, for the gateway and for the limits (budgetDefinitions, spendHistory). */
export interface StoreServices {
  store: GatewayStore;
  auth: StoreAuthService;
  ledger: LedgerWriter;
  keys: KeyManager;
  /** Budget definitions from memory, with change notifications (`onChange`), for the limits' BudgetGuard. */
  budgetDefinitions: BudgetDefinitionCache;
  /** Spend from the ledger (store + unwritten records), for the limits to start period counters after a restart. */
  spendHistory: SpendHistory;
  events: StoreEvents;
  /** The Postgres store's pool (valid after `start()`), for the limits' budget counters; undefined for SQLite. */
  postgresPool: (() => Pool) | undefined;
  /** Opens the store and applies migrations, subscribes to changes, loads budgets and warms the key cache. */
  start(): Promise<void>;
  /** Rejects when the store does not answer within `timeoutMs` (for `/ready`). */
  checkStore(timeoutMs?: number): Promise<void>;
  /** Flushes the ledger, then closes Redis and the store. Call after the HTTP server has stopped. */
  close(): Promise<void>;
}

/**
 * The store side of the gateway, wired: the store from `store:` (default SQLite ./data/switchyard.db), the auth
 * service (config keys in memory first, store keys through a cache), the batching ledger writer, key management, budget
 * definitions and spend history. Nothing touches the database until `start()`.
 */
export function createStoreServices(options: StoreServicesOptions): StoreServices {
  const { config, logger } = options;
  const store =
    options.store ??
    createStore(config.store, { onPoolError: (error) => logger.warn({ err: error }, 'Postgres connection error (the pool reconnects on the next query)') });
  const events =
    options.events ?? (config.redis === undefined ? new LocalStoreEvents() : new RedisStoreEvents({ url: config.redis, prefix: config.redis_key_prefix, logger }));
  const auth = new StoreAuthService({
    ring: options.ring,
    store,
    isLive: () => events.live,
    clock: options.now,
    ttlMs: config.auth.cache_ttl_ms,
    logger,
  });
  events.subscribe('keys', (message) => {
    if (typeof message.keyId === 'string') auth.invalidate(message.keyId);
  });
  // Back on Redis after an outage: messages may have been missed, so nothing cached can be trusted.
  events.onLiveChange((live) => {
    if (live) auth.clear();
  });
  // An injected store (tests) has no location: it spills only where the config says so.
  const configuredSpill = config.ledger.spill_path === 'none' ? undefined : config.ledger.spill_path;
  const spillPath = options.store === undefined ? spillPathFor(parseStoreLocation(config.store), config.ledger.spill_path) : configuredSpill;
  const ledger = new LedgerWriter({
    store,
    logger,
    batchSize: config.ledger.batch_size,
    flushIntervalMs: config.ledger.flush_interval_ms,
    scheduler: options.ledgerScheduler,
    spill: spillPath === undefined ? undefined : new JsonLinesSpillFile(spillPath),
  });
  const keys = new KeyManager({ store, configKeys: configKeys(config, options.ring), cache: auth, events, wallClock: options.wallClock });
  const budgetDefinitions = new BudgetDefinitionCache({ store, events, logger, reloadIntervalMs: config.auth.cache_ttl_ms });
  const spendHistory = new LedgerSpendHistory(store, ledger);
  let started = false;
  const location = () => (options.store === undefined ? describeStoreLocation(parseStoreLocation(config.store)) : `${store.kind} (injected)`);

  return {
    store,
    auth,
    ledger,
    keys,
    budgetDefinitions,
    spendHistory,
    events,
    postgresPool: store instanceof PostgresStore ? () => store.getPool() : undefined,
    start: async () => {
      if (started) return;
      try {
        await store.open();
      } catch (error) {
        // Reported by the CLI as one line; without its store the gateway cannot authenticate store keys or keep a ledger.
        throw new ConfigError(`cannot open the store (${location()}): ${(error as Error).message}`);
      }
      started = true;
      const applied = await store.appliedMigrations();
      const unknown = unknownMigrations(MIGRATIONS, applied);
      if (unknown.length > 0) logger.warn({ versions: unknown }, 'the store has migrations this gateway does not know: a newer version migrated it');
      logger.info({ store: location(), schemaVersion: applied.at(-1) ?? 0 }, 'store ready');
      // Records a previous run could not store (its store was down when it stopped), before budgets read the ledger's spend.
      await ledger.replaySpill();
      await events.start();
      await budgetDefinitions.start();
      const storeKeys = (await store.listKeys()).filter((key) => key.revokedAt === null);
      auth.prime(storeKeys);
      if (options.ring.size === 0 && storeKeys.length === 0) {
        logger.warn('no API keys yet: every chat request will be refused with 401 until one is created (switchyard keys create, the admin API, or keys: in the config)');
      }
    },
    checkStore: async (timeoutMs = 2_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([store.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      await ledger.close();
      if (started) logger.info({ ledger: ledger.getStats() }, 'usage ledger flushed');
      budgetDefinitions.close();
      await events.close();
      await store.close();
    },
  };
}

/** The config keys with their kind (the ring keeps only hashes, so the kind comes from the configured value). */
function configKeys(config: Config, ring: ApiKeyRing): ConfigKey[] {
  const kinds = new Map<string, KeyKind>();
  for (const key of config.keys) {
    if (API_KEY_PATTERN.test(key.key)) kinds.set(keyIdFromHash(hashApiKey(key.key)), key.key.startsWith('ak_test_') ? 'test' : 'live');
  }
  return ring.records().map((record) => ({ record, kind: kinds.get(record.keyId) ?? 'live' }));
}
