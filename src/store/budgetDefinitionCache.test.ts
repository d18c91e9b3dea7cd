import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetDefinitionCache, type BudgetChange } from './budgetDefinitionCache.js';
import type { StoreChannel, StoreEvents } from './storeEvents.js';
import { SqliteStore } from './sqliteStore.js';

const T0 = Date.parse('2026-03-02T00:00:00Z');

/** StoreEvents driven by the test: `deliver` plays a message of another instance. */
class FakeEvents implements StoreEvents {
  live = false;
  published: { channel: StoreChannel; message: Record<string, unknown> }[] = [];
  private handlers: ((message: Record<string, unknown>) => void)[] = [];
  private liveListeners: ((live: boolean) => void)[] = [];
  async publish(channel: StoreChannel, message: Record<string, unknown>): Promise<void> {
    this.published.push({ channel, message });
  }
  subscribe(_channel: StoreChannel, handler: (message: Record<string, unknown>) => void): void {
    this.handlers.push(handler);
  }
  onLiveChange(listener: (live: boolean) => void): void {
    this.liveListeners.push(listener);
  }
  deliver(message: Record<string, unknown>): void {
    for (const handler of this.handlers) handler(message);
  }
  setLive(live: boolean): void {
    this.live = live;
    for (const listener of this.liveListeners) listener(live);
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('BudgetDefinitionCache', () => {
  let store: SqliteStore;
  let events: FakeEvents;
  let cache: BudgetDefinitionCache;
  let changes: BudgetChange[];

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.open();
    events = new FakeEvents();
    cache = new BudgetDefinitionCache({ store, events, logger: pino({ level: 'silent' }), reloadIntervalMs: 20 });
    changes = [];
    cache.onChange((change) => changes.push(change));
  });

  afterEach(async () => {
    cache.close();
    await store.close();
  });

  it('loads every budget at start and answers forKey from memory: the key\'s own plus the global ones', async () => {
    await store.putBudget({ scope: 'key', keyId: 'key_a', period: 'daily', limitMicros: 1, enforce: true }, T0);
    await store.putBudget({ scope: 'global', keyId: null, period: 'monthly', limitMicros: 9, enforce: false }, T0);
    await cache.start();
    expect(cache.forKey('key_a').map((budget) => [budget.scope, budget.period, budget.limitMicros])).toEqual([
      ['key', 'daily', 1],
      ['global', 'monthly', 9],
    ]);
    expect(cache.forKey('key_b').map((budget) => budget.scope)).toEqual(['global']);
    expect(cache.all()).toHaveLength(2);
  });

  it('applies a put or delete at once, tells the listeners (with the key) and the other instances', async () => {
    await cache.start();
    const { budget, created } = await cache.put({ scope: 'key', keyId: 'key_a', period: 'weekly', limitMicros: 5, enforce: true }, T0);
    expect(created).toBe(true);
    expect(cache.forKey('key_a').map((entry) => entry.limitMicros)).toEqual([5]);
    expect(changes).toEqual([{ op: 'put', budget, keyId: 'key_a' }]);
    expect(events.published).toEqual([{ channel: 'budgets', message: { op: 'put', id: budget.id, keyId: 'key_a' } }]);

    await cache.put({ scope: 'global', keyId: null, period: 'daily', limitMicros: 7, enforce: true }, T0);
    expect(changes.at(-1)).toMatchObject({ op: 'put', keyId: undefined });
    expect(events.published.at(-1)?.message).toMatchObject({ keyId: null });

    expect(await cache.delete(budget.id)).toEqual(budget);
    expect(cache.forKey('key_a').map((entry) => entry.scope)).toEqual(['global']);
    expect(changes.at(-1)).toMatchObject({ op: 'delete', keyId: 'key_a' });
    expect(await cache.delete(budget.id)).toBeUndefined();
  });

  it('re-reads the budgets when another instance announces a change, then tells the listeners', async () => {
    await cache.start();
    await store.putBudget({ scope: 'key', keyId: 'key_x', period: 'daily', limitMicros: 3, enforce: true }, T0);
    events.live = true;
    events.deliver({ op: 'put', id: 'bud_elsewhere', keyId: 'key_x' });
    await until(() => changes.length > 0);
    expect(changes).toEqual([{ op: 'reload', keyId: 'key_x' }]);
    expect(cache.forKey('key_x').map((entry) => entry.limitMicros)).toEqual([3]);
  });

  it('without a live subscription re-reads every reload interval and reports differences only', async () => {
    await cache.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(changes).toEqual([]);
    await store.putBudget({ scope: 'global', keyId: null, period: 'monthly', limitMicros: 11, enforce: true }, T0);
    await until(() => changes.length > 0);
    expect(changes[0]).toEqual({ op: 'reload' });
    expect(cache.forKey('anyone').map((entry) => entry.limitMicros)).toEqual([11]);
  });

  it('re-reads after a Redis reconnect (messages may have been missed)', async () => {
    cache = new BudgetDefinitionCache({ store, events, logger: pino({ level: 'silent' }), reloadIntervalMs: 60_000 });
    cache.onChange((change) => changes.push(change));
    events.live = true;
    await cache.start();
    await store.putBudget({ scope: 'global', keyId: null, period: 'weekly', limitMicros: 4, enforce: true }, T0);
    events.setLive(false);
    events.setLive(true);
    await until(() => changes.length > 0);
    expect(cache.forKey('k').map((entry) => entry.limitMicros)).toEqual([4]);
  });
});
