import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { AuthenticatedKey } from '../../src/auth/authenticatedKey.js';
import type { BudgetDefinition, BudgetDefinitions, SpendHistory } from '../../src/limits/budgetDefinition.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { REDIS_URL, clearRedisPrefix, uniqueRedisPrefix } from '../store/support/testDatabases.js';

export { POSTGRES_URL, REDIS_URL, clearRedisPrefix, createPostgresSchema, uniqueRedisPrefix } from '../store/support/testDatabases.js';

/** A connection to the test Redis for the file's tests and a key prefix of their own, removed (keys and all) afterwards. */
export function useTestRedis(name: string): { prefix: string; redis: () => Redis } {
  const prefix = uniqueRedisPrefix();
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = connectRedis(REDIS_URL, name);
    await waitForRedis(redis);
  });
  afterAll(async () => {
    await clearRedisPrefix(prefix);
    redis?.disconnect();
  });
  return {
    prefix,
    redis: () => {
      if (redis === undefined) throw new Error('useTestRedis: not connected yet (use it inside a test)');
      return redis;
    },
  };
}

export function testKey(overrides: Partial<AuthenticatedKey> = {}): AuthenticatedKey {
  return { keyId: 'key_0000000000000001', name: 'test', tier: null, rateLimitRpm: null, tokensPerMinute: null, maxConcurrent: null, expiresAt: null, ...overrides };
}

/** A clock the test moves by hand (wall-clock ms). */
export class ManualClock {
  constructor(public ms = Date.parse('2025-03-12T10:00:00.000Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

/** A logger whose lines are kept for assertions. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  let raw = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw += chunk.toString('utf8');
      callback();
    },
  });
  return {
    logger: createLogger('info', sink),
    lines: () =>
      raw
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export class FailureCounter {
  readonly counts = new Map<string, number>();
  readonly syncs = { limits: 0, budgets: 0 };
  countLimitsRedisFailure(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }
  countLimitsRedisSync(counter: 'limits' | 'budgets'): void {
    this.syncs[counter]++;
  }
}

/** Budget definitions held in memory (what the store provides in production); counts lookups. */
export class MemoryBudgetDefinitions implements BudgetDefinitions {
  lookups = 0;
  constructor(public definitions: BudgetDefinition[] = []) {}
  async forKey(keyId: string): Promise<BudgetDefinition[]> {
    this.lookups++;
    return this.definitions.filter((definition) => definition.scope === 'global' || definition.keyId === keyId);
  }
}

/** A ledger of (keyId, time, cost) rows. */
export class MemorySpendHistory implements SpendHistory {
  readonly rows: { keyId: string; at: number; micros: number }[] = [];
  calls = 0;
  async spentMicrosSince(keyId: string | null, sinceMs: number): Promise<number> {
    this.calls++;
    return this.rows.filter((row) => (keyId === null || row.keyId === keyId) && row.at >= sinceMs).reduce((sum, row) => sum + row.micros, 0);
  }
}

export function budget(overrides: Partial<BudgetDefinition> & Pick<BudgetDefinition, 'period' | 'limitMicros'>): BudgetDefinition {
  return { scope: 'key', keyId: testKey().keyId, enforce: true, ...overrides };
}
