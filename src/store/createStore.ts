import type { GatewayStore } from './gatewayStore.js';
import type { Migration } from './migrations/index.js';
import { PostgresStore } from './postgresStore.js';
import { SqliteStore } from './sqliteStore.js';
import { parseStoreLocation } from './storeLocation.js';

export interface CreateStoreOptions {
  migrations?: readonly Migration[];
  onPoolError?: (error: Error) => void;
}

/** The store named by the config's `store:` (default: the SQLite file ./data/switchyard.db); not opened yet. */
export function createStore(store: string | undefined, options: CreateStoreOptions = {}): GatewayStore {
  const location = parseStoreLocation(store);
  if (location.kind === 'sqlite') return new SqliteStore({ path: location.path, migrations: options.migrations });
  return new PostgresStore({ url: location.url, migrations: options.migrations, onPoolError: options.onPoolError });
}
