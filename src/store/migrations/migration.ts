/**
 * One schema change, written once per dialect. A migration that has shipped is never edited: change the schema with
 * a new one. Each runs in a transaction together with its row in `schema_migrations`, so it is applied exactly once.
 */
export interface Migration {
  /** Positive integer, unique; MIGRATIONS lists them in ascending order. */
  version: number;
  /** Short description, recorded in `schema_migrations`. */
  name: string;
  /** Statements for SQLite (run with `exec`, several statements allowed). */
  sqlite: string;
  /** Statements for Postgres (simple query protocol, several statements allowed). */
  postgres: string;
}

/** The migrations of `list` not yet in `applied`, in order; throws when the list itself is malformed. */
export function pendingMigrations(list: readonly Migration[], applied: readonly number[]): Migration[] {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order: versions must be positive integers in ascending order`);
    }
    previous = migration.version;
  }
  const done = new Set(applied);
  return list.filter((migration) => !done.has(migration.version));
}

/** Versions applied to the database that this build does not know (a newer gateway migrated it). */
export function unknownMigrations(list: readonly Migration[], applied: readonly number[]): number[] {
  const known = new Set(list.map((migration) => migration.version));
  return applied.filter((version) => !known.has(version));
}
