import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The Postgres the benchmark uses (the test database on this machine); override with SWITCHYARD_BENCH_POSTGRES_URL. */
export const BENCH_POSTGRES_URL = process.env.SWITCHYARD_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchPostgresSchema {
  /** A `store:` value selecting the schema through `search_path`. */
  store: string;
  drop(): Promise<void>;
}

/** A fresh schema of its own, so bench rows never mix with anything else; `drop` removes it with everything in it. */
export async function createBenchPostgresSchema(): Promise<BenchPostgresSchema> {
  const schema = `switchyard_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient((client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(BENCH_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { store: url.toString(), drop: () => withClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined) };
}

async function withClient<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
