import type { Migration } from './migration.js';

/**
 * Budget spend counters for the Postgres budget guard (src/limits/postgresBudgetCounters.ts), used when the store is
 * Postgres and no Redis is configured: one row per scope + period (locked while a reservation is checked), and
 * the reservations not yet settled (they expire, so a crashed gateway cannot hold a budget forever).
 * SQLite needs none: a single SQLite-backed gateway keeps these counters in memory.
 */
export const budgetSpend: Migration = {
  version: 2,
  name: 'budget spend counters and reservations',
  sqlite: `SELECT 1;`,
  postgres: `
    CREATE TABLE budget_spend (
      counter TEXT PRIMARY KEY,
      scope TEXT NOT NULL CHECK (scope IN ('key', 'global')),
      key_id TEXT,
      period TEXT NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
      period_start TIMESTAMPTZ NOT NULL,
      period_end TIMESTAMPTZ NOT NULL,
      spent_micros BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX budget_spend_period_end ON budget_spend (period_end);

    CREATE TABLE budget_reservations (
      counter TEXT NOT NULL REFERENCES budget_spend (counter) ON DELETE CASCADE,
      reservation_id TEXT NOT NULL,
      amount_micros BIGINT NOT NULL CHECK (amount_micros >= 0),
      expires_at TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (counter, reservation_id)
    );
  `,
};
