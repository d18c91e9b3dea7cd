import { randomBytes } from 'node:crypto';
import type { BudgetPeriod } from '../limits/budgetDefinition.js';
import type { UsageRecord } from '../ledger/usageRecord.js';
import type { KeyKind, StoredBudget, StoredKey, UsageGroup, UsageGroupBy, UsageQuery, UsageTotals } from './gatewayStore.js';

/** Helpers both stores share: ids, the usage columns, row → value conversions. */

export function newBudgetId(): string {
  return 'bud_' + randomBytes(8).toString('hex');
}

/** The usage_records columns written by insertUsage, in order. */
export const USAGE_COLUMNS = [
  'time', 'request_id', 'key_id', 'model_canonical', 'provider', 'provider_model', 'status', 'error_code',
  'prompt_tokens', 'cached_tokens', 'cache_write_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_micros',
  'ttft_ms', 'total_latency_ms', 'attempts', 'stream', 'metadata', 'record_id',
] as const;

/** Appended to an INSERT into usage_records: a record already stored (a retried batch) is skipped, not duplicated. */
export const SKIP_STORED_RECORDS = 'ON CONFLICT (record_id) DO NOTHING';

/** Column of each `group_by` dimension (the day is dialect-specific and handled by each store). */
export const GROUP_COLUMNS: Record<Exclude<UsageGroupBy, 'day'>, string> = {
  key: 'key_id',
  model: 'model_canonical',
  provider: 'provider',
};

/** The aggregate select list shared by both dialects (errors: status ≥ 400). */
export const USAGE_AGGREGATES = `
  COUNT(*) AS requests,
  COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0) AS errors,
  COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
  COALESCE(SUM(cached_tokens), 0) AS cached_tokens,
  COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens,
  COALESCE(SUM(completion_tokens), 0) AS completion_tokens,
  COALESCE(SUM(reasoning_tokens), 0) AS reasoning_tokens,
  COALESCE(SUM(cost_micros), 0) AS cost_micros`;

export interface AggregateRow {
  grp?: unknown;
  requests: unknown;
  errors: unknown;
  prompt_tokens: unknown;
  cached_tokens: unknown;
  cache_write_tokens: unknown;
  completion_tokens: unknown;
  reasoning_tokens: unknown;
  cost_micros: unknown;
}

/** pg returns BIGINT and NUMERIC as strings, SQLite numbers; both become exact JS integers (sums stay < 2^53). */
export function toInteger(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  return 0;
}

export function toOptionalInteger(value: unknown): number | null {
  return value === null || value === undefined ? null : toInteger(value);
}

export function toTotals(row: AggregateRow): UsageTotals {
  return {
    requests: toInteger(row.requests),
    errors: toInteger(row.errors),
    promptTokens: toInteger(row.prompt_tokens),
    cachedTokens: toInteger(row.cached_tokens),
    cacheWriteTokens: toInteger(row.cache_write_tokens),
    completionTokens: toInteger(row.completion_tokens),
    reasoningTokens: toInteger(row.reasoning_tokens),
    costMicros: toInteger(row.cost_micros),
  };
}

export function emptyTotals(): UsageTotals {
  return { requests: 0, errors: 0, promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0, costMicros: 0 };
}

export function addTotals(sum: UsageTotals, group: UsageTotals): UsageTotals {
  return {
    requests: sum.requests + group.requests,
    errors: sum.errors + group.errors,
    promptTokens: sum.promptTokens + group.promptTokens,
    cachedTokens: sum.cachedTokens + group.cachedTokens,
    cacheWriteTokens: sum.cacheWriteTokens + group.cacheWriteTokens,
    completionTokens: sum.completionTokens + group.completionTokens,
    reasoningTokens: sum.reasoningTokens + group.reasoningTokens,
    costMicros: sum.costMicros + group.costMicros,
  };
}

/** Groups ordered by their value, nulls last, totals summed from them. */
export function toSummary(rows: AggregateRow[]): { totals: UsageTotals; groups: UsageGroup[] } {
  const groups = rows.map((row) => ({ group: row.grp === null || row.grp === undefined ? null : String(row.grp), ...toTotals(row) }));
  groups.sort((a, b) => (a.group === b.group ? 0 : a.group === null ? 1 : b.group === null ? -1 : a.group < b.group ? -1 : 1));
  return { totals: groups.reduce<UsageTotals>((sum, group) => addTotals(sum, group), emptyTotals()), groups };
}

export function isKeyKind(value: unknown): value is KeyKind {
  return value === 'live' || value === 'test';
}

export function toPeriod(value: unknown): BudgetPeriod {
  if (value === 'daily' || value === 'weekly' || value === 'monthly') return value;
  throw new Error(`unexpected budget period '${String(value)}' in the store`);
}

/** A stored time: pg gives a Date, SQLite the ISO text it was written as. */
type StoredTime = Date | string;

function timeMs(value: StoredTime): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function timeMsOrNull(value: StoredTime | null): number | null {
  return value === null ? null : timeMs(value);
}

/** An api_keys row as either store returns it. */
export interface KeyRow {
  id: string;
  name: string;
  kind: string;
  hash: Buffer;
  created_at: StoredTime;
  expires_at: StoredTime | null;
  revoked_at: StoredTime | null;
  rate_limit_rpm: number | null;
  tokens_per_minute: number | null;
  max_concurrent: number | null;
  tier: string | null;
}

/** A budgets row as either store returns it (`enforce`: a boolean in pg, 0/1 in SQLite). */
export interface BudgetRow {
  id: string;
  scope: string;
  key_id: string | null;
  period: string;
  limit_micros: string | number;
  enforce: boolean | number;
  created_at: StoredTime;
  updated_at: StoredTime;
  created?: boolean;
}

export function toStoredKey(row: KeyRow): StoredKey {
  if (!isKeyKind(row.kind)) throw new Error(`unexpected key kind '${row.kind}' in the store`);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    hash: Buffer.from(row.hash),
    createdAt: timeMs(row.created_at),
    expiresAt: timeMsOrNull(row.expires_at),
    revokedAt: timeMsOrNull(row.revoked_at),
    rateLimitRpm: toOptionalInteger(row.rate_limit_rpm),
    tokensPerMinute: toOptionalInteger(row.tokens_per_minute),
    maxConcurrent: toOptionalInteger(row.max_concurrent),
    tier: row.tier,
  };
}

export function toStoredBudget(row: BudgetRow): StoredBudget {
  return {
    id: row.id,
    scope: row.scope === 'global' ? 'global' : 'key',
    keyId: row.key_id,
    period: toPeriod(row.period),
    limitMicros: toInteger(row.limit_micros),
    enforce: row.enforce === true || row.enforce === 1,
    createdAt: timeMs(row.created_at),
    updatedAt: timeMs(row.updated_at),
  };
}

export interface UsageRow {
  time: unknown;
  request_id: string;
  key_id: string | null;
  model_canonical: string | null;
  provider: string | null;
  provider_model: string | null;
  status: unknown;
  error_code: string | null;
  prompt_tokens: unknown;
  cached_tokens: unknown;
  cache_write_tokens: unknown;
  completion_tokens: unknown;
  reasoning_tokens: unknown;
  cost_micros: unknown;
  ttft_ms: unknown;
  total_latency_ms: unknown;
  attempts: unknown;
  stream: unknown;
  metadata: unknown;
  record_id?: string | null;
}

export const DEFAULT_USAGE_LIST_LIMIT = 100;
export const MAX_USAGE_LIST_LIMIT = 10_000;

export function toUsageRecord(row: UsageRow): UsageRecord {
  const time = row.time instanceof Date ? row.time : new Date(String(row.time));
  const metadata = typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as unknown) : row.metadata;
  return {
    time: time.toISOString(),
    requestId: row.request_id,
    keyId: row.key_id,
    modelCanonical: row.model_canonical,
    provider: row.provider,
    providerModel: row.provider_model,
    status: toInteger(row.status),
    errorCode: row.error_code,
    promptTokens: toInteger(row.prompt_tokens),
    cachedTokens: toInteger(row.cached_tokens),
    cacheWriteTokens: toInteger(row.cache_write_tokens),
    completionTokens: toInteger(row.completion_tokens),
    reasoningTokens: toInteger(row.reasoning_tokens),
    costMicros: toInteger(row.cost_micros),
    ttftMs: toOptionalInteger(row.ttft_ms),
    totalLatencyMs: toInteger(row.total_latency_ms),
    attempts: toInteger(row.attempts),
    stream: row.stream === true || row.stream === 1,
    metadata: metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, string>) : {},
    ...(typeof row.record_id === 'string' ? { recordId: row.record_id } : {}),
  };
}

export function usageListLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_USAGE_LIST_LIMIT;
  return Math.min(MAX_USAGE_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

/** How one SQL dialect writes a bind placeholder (1-based) and a time value. */
export interface SqlDialect {
  placeholder(position: number): string;
  time(ms: number): unknown;
}

/** The WHERE clause of a usage query and its bind values. */
export function usageFilter(query: UsageQuery, dialect: SqlDialect): { where: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (column: string, operator: string, value: unknown): void => {
    values.push(value);
    clauses.push(`${column} ${operator} ${dialect.placeholder(values.length)}`);
  };
  if (query.keyId !== undefined) add('key_id', '=', query.keyId);
  if (query.model !== undefined) add('model_canonical', '=', query.model);
  if (query.provider !== undefined) add('provider', '=', query.provider);
  if (query.fromMs !== undefined) add('time', '>=', dialect.time(query.fromMs));
  if (query.toMs !== undefined) add('time', '<', dialect.time(query.toMs));
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, values };
}
