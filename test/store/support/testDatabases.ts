import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteRedisKeys } from '../../../src/store/deleteRedisKeys.js';

/** The Postgres the tests use (trust auth on this machine); override with SWITCHYARD_TEST_POSTGRES_URL. */
export const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  /** A `store:` value. */
  store: string;
  drop(): Promise<void>;
}

/** A `ledger.spill_path` of its own: a gateway on Postgres would otherwise spill to ./data, shared by every test. */
export function uniqueSpillPath(): string {
  return join(tmpdir(), `switchyard-spill-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
}

/** A fresh Postgres schema; the returned `store:` URL selects it through `search_path`. */
export async function createPostgresSchema(): Promise<TestDatabase> {
  const schema = `switchyard_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A SQLite file in a fresh temporary folder (a sub-folder that does not exist yet, to check that it is created). */
export function createSqliteFile(): TestDatabase & { path: string } {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  const path = join(folder, 'data', 'switchyard.db');
  return { store: `sqlite:${path}`, path, drop: async () => rmSync(folder, { recursive: true, force: true }) };
}

export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  return kind === 'sqlite' ? createSqliteFile() : createPostgresSchema();
}

/** A Redis key prefix no other test run uses. */
export function uniqueRedisPrefix(): string {
  return `switchyard-test:${Date.now().toString(36)}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every Redis key under a prefix (channels leave nothing behind). */
export async function clearRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteRedisKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
