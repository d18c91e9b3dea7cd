import type { Migration } from './migration.js';

/**
 * Each usage record carries an id given by the ledger writer, unique across instances and restarts. A batch whose
 * write landed but whose acknowledgement was lost (a dropped connection, a worker thread that died) is retried; the
 * unique index makes the retry skip the rows already stored, so a request is never counted twice.
 * Rows written before this migration keep a NULL id (unique indexes allow any number of NULLs in both dialects).
 */
export const usageRecordIds: Migration = {
  version: 3,
  name: 'usage record ids for idempotent ledger writes',
  sqlite: `
    ALTER TABLE usage_records ADD COLUMN record_id TEXT;
    CREATE UNIQUE INDEX usage_records_record_id ON usage_records (record_id);
  `,
  postgres: `
    ALTER TABLE usage_records ADD COLUMN record_id TEXT;
    CREATE UNIQUE INDEX usage_records_record_id ON usage_records (record_id);
  `,
};
