import { GatewayError } from '../core/gatewayError.js';
import type { BudgetWindow } from './budgetCounters.js';
import { formatUsd, retryAfterSeconds } from './limitHeaders.js';

/**
 * `X-Budget-{Daily,Weekly,Monthly}-{Limit,Spend}` in USD for the key's own budgets (contract §5.4). Spend is what
 * was settled in the period before this request. Global budgets are the operator's business and are named only
 * when one refuses a request.
 */
export function budgetHeaders(windows: readonly BudgetWindow[], spentMicros: readonly number[]): Record<string, string> {
  const headers: Record<string, string> = {};
  windows.forEach((window, index) => {
    if (window.definition.scope !== 'key') return;
    const prefix = `x-budget-${window.definition.period}`;
    if (headers[`${prefix}-limit`] !== undefined) return;
    headers[`${prefix}-limit`] = formatUsd(window.definition.limitMicros);
    headers[`${prefix}-spend`] = formatUsd(spentMicros[index] ?? 0);
  });
  return headers;
}

/**
 * 429 `budget_exhausted`. When several budgets are exhausted the one that ends last is reported, since the request
 * cannot succeed before it resets; `Retry-After` is the time to its period's end. Not retryable: waiting seconds
 * does not help, so SDKs are told not to retry (`X-Should-Retry: false`).
 */
export function budgetExhaustedError(windows: readonly BudgetWindow[], exhausted: readonly number[], now: number, headers: Record<string, string>): GatewayError {
  let refusing: BudgetWindow | undefined;
  for (const index of exhausted) {
    const window = windows[index];
    if (window !== undefined && (refusing === undefined || window.end > refusing.end)) refusing = window;
  }
  if (refusing === undefined) throw new Error('budgetExhaustedError needs at least one exhausted window');
  const { scope, period, limitMicros } = refusing.definition;
  const owner = scope === 'key' ? "This API key's" : "The gateway's";
  const resets = new Date(refusing.end).toISOString();
  return new GatewayError(429, 'budget_exhausted', `${owner} ${period} budget of $${formatUsd(limitMicros)} is spent; it resets at ${resets}.`, {
    retryable: false,
    fallback: false,
    retryAfterSeconds: retryAfterSeconds(refusing.end - now),
    rateLimitSource: 'gateway',
    headers: {
      ...headers,
      'x-budget-exceeded': 'true',
      'x-budget-exceeded-period': period,
      'x-budget-exceeded-scope': scope,
    },
  });
}
