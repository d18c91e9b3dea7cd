import { initialSchema } from './001_initialSchema.js';
import { budgetSpend } from './002_budgetSpend.js';
import { usageRecordIds } from './003_usageRecordIds.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/**
 * Every migration, in ascending version order. To change the schema add a file `NNN_whatItDoes.ts` exporting a
 * `Migration` and register it with one line here; it runs at the next start of every gateway (and CLI command).
 */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  budgetSpend,
  usageRecordIds,
];
