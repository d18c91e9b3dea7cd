import type { BudgetPeriod, SpendHistory } from '../limits/budgetDefinition.js';
import type { UsageRecord } from '../ledger/usageRecord.js';

export type KeyKind = 'live' | 'test';

/** An API key as the store holds it: never the secret, only its SHA-256 hash. Times are wall-clock ms. */
export interface StoredKey {
  /** `key_<16 hex>`, derived from the hash (keyIdFromHash). */
  id: string;
  name: string;
  kind: KeyKind;
  hash: Buffer;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  rateLimitRpm: number | null;
  tokensPerMinute: number | null;
  maxConcurrent: number | null;
  tier: string | null;
}

export type NewKey = Omit<StoredKey, 'revokedAt'>;

/** Fields an update may change; `undefined` leaves a field as it is, `null` clears it. */
export interface KeyPatch {
  name?: string;
  expiresAt?: number | null;
  rateLimitRpm?: number | null;
  tokensPerMinute?: number | null;
  maxConcurrent?: number | null;
  tier?: string | null;
}

export interface StoredBudget {
  /** `bud_<hex>`. */
  id: string;
  scope: 'key' | 'global';
  /** The key's id for `key` scope, null for `global`. */
  keyId: string | null;
  period: BudgetPeriod;
  limitMicros: number;
  enforce: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface BudgetInput {
  scope: 'key' | 'global';
  keyId: string | null;
  period: BudgetPeriod;
  limitMicros: number;
  enforce: boolean;
}

export interface UsageListFilter {
  requestId?: string;
  keyId?: string;
  limit?: number;
}

export type UsageGroupBy = 'day' | 'key' | 'model' | 'provider';

export interface UsageQuery {
  keyId?: string;
  model?: string;
  provider?: string;
  /** Inclusive, wall-clock ms. */
  fromMs?: number;
  /** Exclusive, wall-clock ms. */
  toMs?: number;
  groupBy?: UsageGroupBy;
}

/** Sums over usage records; `errors` counts records with status ≥ 400 (499, the client left, included). */
export interface UsageTotals {
  requests: number;
  errors: number;
  promptTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicros: number;
}

export interface UsageGroup extends UsageTotals {
  /** The day (`YYYY-MM-DD`, UTC), key id, model or provider; null for records without one (e.g. a refused key). */
  group: string | null;
}

export interface UsageSummary {
  totals: UsageTotals;
  /** Present when the query had `groupBy`, ordered by group (nulls last). */
  groups?: UsageGroup[];
}

/**
 * Everything the gateway persists: keys, the usage ledger, budget definitions (and, as a SpendHistory, what was
 * spent). One interface, two implementations (SQLite, Postgres) that pass the same test suite. Callers on the
 * request path never await it: auth goes through a cache, usage through the batching ledger writer.
 */
export interface GatewayStore extends SpendHistory {
  readonly kind: 'sqlite' | 'postgres';
  /** Connects (or opens the file) and applies pending migrations; idempotent. */
  open(): Promise<void>;
  /** Resolves when the database answers; rejects otherwise (used by `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Versions of the migrations applied, ascending. */
  appliedMigrations(): Promise<number[]>;

  insertKey(key: NewKey): Promise<StoredKey>;
  getKey(id: string): Promise<StoredKey | undefined>;
  findKeyByHash(hash: Buffer): Promise<StoredKey | undefined>;
  /** Every key, oldest first (revoked ones included). */
  listKeys(): Promise<StoredKey[]>;
  /** Undefined when there is no such key. */
  updateKey(id: string, patch: KeyPatch): Promise<StoredKey | undefined>;
  /** Sets `revokedAt` unless already set (the first revocation time is kept); undefined when there is no such key. */
  revokeKey(id: string, at: number): Promise<StoredKey | undefined>;

  insertUsage(records: readonly UsageRecord[]): Promise<void>;
  queryUsage(query: UsageQuery): Promise<UsageSummary>;
  /** Single records, newest first (default limit 100). */
  listUsage(filter?: UsageListFilter): Promise<UsageRecord[]>;
  /** Cost of the key's records (every key's when null) at or after `sinceMs`. */
  spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number>;

  /** Creates or replaces the budget of (scope, key, period); `created` tells which. */
  putBudget(input: BudgetInput, now: number): Promise<{ budget: StoredBudget; created: boolean }>;
  getBudget(id: string): Promise<StoredBudget | undefined>;
  /** All budgets, or only those of one key (scope `key`). */
  listBudgets(filter?: { keyId?: string }): Promise<StoredBudget[]>;
  deleteBudget(id: string): Promise<StoredBudget | undefined>;
}
