import type { Migration } from './migration.js';

/**
 * Keys, usage ledger and budgets. Times: ISO-8601 UTC text in SQLite (fixed width, so text order is time order),
 * TIMESTAMPTZ in Postgres. Money: integer micro-USD. Keys: only the SHA-256 hash of the secret.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'keys, usage ledger, budgets',
  sqlite: `
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('live', 'test')),
      hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      expires_at TEXT,
      revoked_at TEXT,
      rate_limit_rpm INTEGER CHECK (rate_limit_rpm > 0),
      tokens_per_minute INTEGER CHECK (tokens_per_minute > 0),
      max_concurrent INTEGER CHECK (max_concurrent > 0),
      tier TEXT
    );

    CREATE TABLE usage_records (
      id INTEGER PRIMARY KEY,
      time TEXT NOT NULL,
      request_id TEXT NOT NULL,
      key_id TEXT,
      model_canonical TEXT,
      provider TEXT,
      provider_model TEXT,
      status INTEGER NOT NULL,
      error_code TEXT,
      prompt_tokens INTEGER NOT NULL DEFAULT 0,
      cached_tokens INTEGER NOT NULL DEFAULT 0,
      cache_write_tokens INTEGER NOT NULL DEFAULT 0,
      completion_tokens INTEGER NOT NULL DEFAULT 0,
      reasoning_tokens INTEGER NOT NULL DEFAULT 0,
      cost_micros INTEGER NOT NULL DEFAULT 0,
      ttft_ms INTEGER,
      total_latency_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      stream INTEGER NOT NULL CHECK (stream IN (0, 1)),
      metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX usage_records_time ON usage_records (time);
    CREATE INDEX usage_records_key_time ON usage_records (key_id, time);
    CREATE INDEX usage_records_model_time ON usage_records (model_canonical, time);
    CREATE INDEX usage_records_provider_time ON usage_records (provider, time);
    CREATE INDEX usage_records_request_id ON usage_records (request_id);

    CREATE TABLE budgets (
      id TEXT PRIMARY KEY,
      scope TEXT NOT NULL CHECK (scope IN ('key', 'global')),
      key_id TEXT,
      period TEXT NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
      limit_micros INTEGER NOT NULL CHECK (limit_micros >= 0),
      enforce INTEGER NOT NULL CHECK (enforce IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((scope = 'key') = (key_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX budgets_subject ON budgets (scope, COALESCE(key_id, ''), period);
  `,
  postgres: `
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('live', 'test')),
      hash BYTEA NOT NULL UNIQUE CHECK (length(hash) = 32),
      created_at TIMESTAMPTZ NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL,
      expires_at TIMESTAMPTZ,
      revoked_at TIMESTAMPTZ,
      rate_limit_rpm INTEGER CHECK (rate_limit_rpm > 0),
      tokens_per_minute INTEGER CHECK (tokens_per_minute > 0),
      max_concurrent INTEGER CHECK (max_concurrent > 0),
      tier TEXT
    );

    CREATE TABLE usage_records (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      time TIMESTAMPTZ NOT NULL,
      request_id TEXT NOT NULL,
      key_id TEXT,
      model_canonical TEXT,
      provider TEXT,
      provider_model TEXT,
      status INTEGER NOT NULL,
      error_code TEXT,
      prompt_tokens INTEGER NOT NULL DEFAULT 0,
      cached_tokens INTEGER NOT NULL DEFAULT 0,
      cache_write_tokens INTEGER NOT NULL DEFAULT 0,
      completion_tokens INTEGER NOT NULL DEFAULT 0,
      reasoning_tokens INTEGER NOT NULL DEFAULT 0,
      cost_micros BIGINT NOT NULL DEFAULT 0,
      ttft_ms INTEGER,
      total_latency_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      stream BOOLEAN NOT NULL,
      metadata JSONB NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX usage_records_time ON usage_records (time);
    CREATE INDEX usage_records_key_time ON usage_records (key_id, time);
    CREATE INDEX usage_records_model_time ON usage_records (model_canonical, time);
    CREATE INDEX usage_records_provider_time ON usage_records (provider, time);
    CREATE INDEX usage_records_request_id ON usage_records (request_id);

    CREATE TABLE budgets (
      id TEXT PRIMARY KEY,
      scope TEXT NOT NULL CHECK (scope IN ('key', 'global')),
      key_id TEXT,
      period TEXT NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
      limit_micros BIGINT NOT NULL CHECK (limit_micros >= 0),
      enforce BOOLEAN NOT NULL,
      created_at TIMESTAMPTZ NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL,
      CHECK ((scope = 'key') = (key_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX budgets_subject ON budgets (scope, COALESCE(key_id, ''), period);
  `,
};
