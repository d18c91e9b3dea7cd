import type { Pool, PoolClient } from 'pg';
import { isExhausted, NO_SEED, type BudgetCounters, type BudgetWindow, type ReserveRequest, type ReserveResult, type SettleRequest, type SpendSeed } from './budgetCounters.js';
import { withPostgresTransaction } from '../store/withPostgresTransaction.js';

/**
 * Budget counters in Postgres (tables `budget_spend` and `budget_reservations`, migration 002), for several gateways
 * sharing a Postgres store without Redis. Each reservation is one transaction that locks the windows' spend rows
 * (always in the same order, so two transactions never wait on each other in a cycle), then reads the live reservations
 * (a statement after the lock, so it sees everything the previous lock holder committed), then reserves.
 * Settling also deletes the counters' expired reservations, which reserve already ignores.
 */
export class PostgresBudgetCounters implements BudgetCounters {
  private readonly pool: () => Pool;

  /** `pool` may be a getter, for a store whose pool is opened after the gateway is composed. */
  constructor(
    pool: Pool | (() => Pool),
    private readonly seed: SpendSeed = NO_SEED,
  ) {
    this.pool = typeof pool === 'function' ? pool : () => pool;
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const names = request.windows.map((window) => window.counter);
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool().connect();
      let missing: BudgetWindow[] = [];
      try {
        await client.query('BEGIN');
        const locked = await client.query<{ counter: string; spent_micros: string }>(
          'SELECT counter, spent_micros FROM budget_spend WHERE counter = ANY($1::text[]) ORDER BY counter COLLATE "C" FOR UPDATE',
          [names],
        );
        const spentByCounter = new Map(locked.rows.map((row) => [row.counter, Number(row.spent_micros)]));
        missing = request.windows.filter((window) => !spentByCounter.has(window.counter));
        if (missing.length === 0) {
          const result = await reserveLocked(client, request, names, spentByCounter);
          await client.query(result.ok ? 'COMMIT' : 'ROLLBACK');
          return result;
        }
        await client.query('ROLLBACK');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      if (attempt >= 2) throw new Error('budget spend rows could not be created');
      await this.createCounters(missing);
    }
  }

  async settle(request: SettleRequest): Promise<void> {
    const names = request.windows.map((window) => window.counter);
    await withPostgresTransaction(this.pool(), async (client) => {
      await client.query('SELECT 1 FROM budget_spend WHERE counter = ANY($1::text[]) ORDER BY counter COLLATE "C" FOR UPDATE', [names]);
      await client.query('DELETE FROM budget_reservations WHERE counter = ANY($1::text[]) AND (reservation_id = $2 OR expires_at <= $3)', [names, request.id, new Date(request.now)]);
      await client.query('UPDATE budget_spend SET spent_micros = spent_micros + $2 WHERE counter = ANY($1::text[])', [names, Math.round(request.actualMicros)]);
    });
  }

  /** A spend row starts from the ledger; when two gateways race to create it, the first insert wins. */
  private async createCounters(windows: readonly BudgetWindow[]): Promise<void> {
    for (const window of windows) {
      const spent = await this.seed(window);
      await this.pool().query(
        `INSERT INTO budget_spend (counter, scope, key_id, period, period_start, period_end, spent_micros)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (counter) DO NOTHING`,
        [window.counter, window.definition.scope, window.definition.keyId, window.definition.period, new Date(window.start), new Date(window.end), Math.round(spent)],
      );
    }
  }
}

async function reserveLocked(client: PoolClient, request: ReserveRequest, names: string[], spentByCounter: Map<string, number>): Promise<ReserveResult> {
  const live = await client.query<{ counter: string; reserved: string }>(
    'SELECT counter, SUM(amount_micros) AS reserved FROM budget_reservations WHERE counter = ANY($1::text[]) AND expires_at > $2 GROUP BY counter',
    [names, new Date(request.now)],
  );
  const reservedByCounter = new Map(live.rows.map((row) => [row.counter, Number(row.reserved)]));
  const spentMicros: number[] = [];
  const exhausted: number[] = [];
  request.windows.forEach((window, index) => {
    const spent = spentByCounter.get(window.counter) ?? 0;
    spentMicros.push(spent);
    if (isExhausted(window, spent, reservedByCounter.get(window.counter) ?? 0)) exhausted.push(index);
  });
  if (exhausted.length > 0) return { ok: false, spentMicros, exhausted };
  await client.query(
    `INSERT INTO budget_reservations (counter, reservation_id, amount_micros, expires_at)
     SELECT unnest($1::text[]), $2, $3, $4`,
    [names, request.id, Math.round(request.amountMicros), new Date(request.expiresAt)],
  );
  return { ok: true, spentMicros, exhausted };
}
