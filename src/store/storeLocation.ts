import { dirname, join } from 'node:path';

/** The default `store:` when the config has none: one SQLite file under ./data (created with its folder). */
export const DEFAULT_STORE = 'sqlite:./data/switchyard.db';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * `sqlite:<path>` (relative paths resolve against the working directory; `sqlite::memory:` is an in-memory database;
 * `sqlite:///abs/path` is accepted too) or `postgres://...` / `postgresql://...` (passed to `pg` as is; a
 * `?options=-c%20search_path%3Dmy_schema` parameter selects a schema).
 */
export function parseStoreLocation(value: string | undefined): StoreLocation {
  const store = value ?? DEFAULT_STORE;
  if (/^postgres(ql)?:\/\//.test(store)) return { kind: 'postgres', url: store };
  if (store.startsWith('sqlite:')) {
    let path = store.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new Error(`store '${store}': the SQLite file path is empty`);
    return { kind: 'sqlite', path };
  }
  throw new Error(`store '${store}': expected sqlite:<path> or postgres://...`);
}

/** The location without credentials, for logs. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.path}`;
  try {
    const url = new URL(location.url);
    return `postgres://${url.username === '' ? '' : `${url.username}@`}${url.host}${url.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** The spill file's name: beside a SQLite file, under ./data for Postgres; none for an in-memory database. */
export const SPILL_FILE_NAME = 'ledger-spill.jsonl';

/** Where the usage ledger spills batches the store refuses: `ledger.spill_path` (`none`: nowhere), else a default by store. */
export function spillPathFor(location: StoreLocation, configured: string | undefined): string | undefined {
  if (configured !== undefined) return configured === 'none' ? undefined : configured;
  if (location.kind === 'postgres') return join('data', SPILL_FILE_NAME);
  return location.path === ':memory:' ? undefined : join(dirname(location.path), SPILL_FILE_NAME);
}
