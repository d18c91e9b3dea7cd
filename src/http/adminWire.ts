import type { BudgetDefinition, BudgetPeriod } from '../limits/budgetDefinition.js';
import type { StoredBudget, UsageGroupBy, UsageTotals } from '../store/gatewayStore.js';
import type { ManagedKey } from '../store/keyManager.js';

/** Admin API objects on the wire (snake_case, times as ISO-8601, money as USD numbers rendered from micro-USD). */

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
export const microsToUsd = (micros: number): number => micros / 1_000_000;

export function renderKey(key: ManagedKey, now: number): Record<string, unknown> {
  return {
    object: 'api_key',
    id: key.id,
    name: key.name,
    kind: key.kind,
    source: key.source,
    status: key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active',
    created_at: isoOrNull(key.createdAt),
    expires_at: isoOrNull(key.expiresAt),
    revoked_at: isoOrNull(key.revokedAt),
    rate_limit_rpm: key.rateLimitRpm,
    tokens_per_minute: key.tokensPerMinute,
    max_concurrent: key.maxConcurrent,
    tier: key.tier,
  };
}

export function renderBudget(budget: StoredBudget): Record<string, unknown> {
  return {
    object: 'budget',
    id: budget.id,
    scope: budget.scope,
    key_id: budget.keyId,
    period: budget.period,
    limit_usd: microsToUsd(budget.limitMicros),
    enforce: budget.enforce,
    created_at: isoOrNull(budget.createdAt),
    updated_at: isoOrNull(budget.updatedAt),
  };
}

export function renderTotals(totals: UsageTotals): Record<string, unknown> {
  return {
    requests: totals.requests,
    errors: totals.errors,
    tokens: {
      prompt: totals.promptTokens,
      cached: totals.cachedTokens,
      cache_write: totals.cacheWriteTokens,
      completion: totals.completionTokens,
      reasoning: totals.reasoningTokens,
      total: totals.promptTokens + totals.completionTokens,
    },
    cost_usd: microsToUsd(totals.costMicros),
    cost_micros: totals.costMicros,
  };
}

/** The field naming a group's value: `day`, `key_id`, `model` or `provider`. */
export const GROUP_FIELDS: Record<UsageGroupBy, string> = { day: 'day', key: 'key_id', model: 'model', provider: 'provider' };

const PERIODS: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly'];

/**
 * `budget` of `GET /v1/me`: per period, the key's own budget, else the global one; null when neither exists.
 * Example: `{"daily": {"limit_usd": 5, "enforce": true, "scope": "key"}}`.
 */
export function renderKeyBudget(definitions: readonly BudgetDefinition[]): Record<string, unknown> | null {
  const budget: Record<string, unknown> = {};
  for (const period of PERIODS) {
    const chosen = definitions.find((definition) => definition.period === period && definition.scope === 'key') ?? definitions.find((definition) => definition.period === period);
    if (chosen !== undefined) budget[period] = { limit_usd: microsToUsd(chosen.limitMicros), enforce: chosen.enforce, scope: chosen.scope };
  }
  return Object.keys(budget).length === 0 ? null : budget;
}
