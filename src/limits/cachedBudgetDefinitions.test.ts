import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { BudgetDefinition, BudgetDefinitions } from './budgetDefinition.js';
import { CachedBudgetDefinitions } from './cachedBudgetDefinitions.js';

const daily = (limitMicros: number): BudgetDefinition => ({ scope: 'key', keyId: 'key_a', period: 'daily', limitMicros, enforce: true });

/** A store whose answers the test releases by hand. */
class SlowStore implements BudgetDefinitions {
  calls = 0;
  limit = 1;
  fail = false;
  private pending: (() => void)[] = [];
  forKey(): Promise<BudgetDefinition[]> {
    this.calls++;
    const limit = this.limit;
    const fail = this.fail;
    return new Promise((resolve, reject) => this.pending.push(() => (fail ? reject(new Error('store down')) : resolve([daily(limit)]))));
  }
  answer(): void {
    const pending = this.pending;
    this.pending = [];
    for (const release of pending) release();
  }
}

function setup(ttlMs = 1000) {
  let now = 0;
  const store = new SlowStore();
  const cache = new CachedBudgetDefinitions(store, pino({ level: 'silent' }), () => now, ttlMs);
  return { store, cache, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CachedBudgetDefinitions', () => {
  it('loads a key once for concurrent callers, then answers from memory without a promise', async () => {
    const { store, cache } = setup();
    const first = cache.forKey('key_a');
    const second = cache.forKey('key_a');
    expect(first).toBeInstanceOf(Promise);
    store.answer();
    expect(await first).toEqual([daily(1)]);
    expect(await second).toEqual([daily(1)]);
    expect(cache.forKey('key_a')).toEqual([daily(1)]);
    expect(store.calls).toBe(1);
  });

  it('after the TTL answers from memory and refreshes in the background', async () => {
    const { store, cache, advance } = setup(1000);
    const loading = cache.forKey('key_a');
    store.answer();
    await loading;
    store.limit = 2;
    advance(1000);
    expect(cache.forKey('key_a')).toEqual([daily(1)]);
    expect(cache.forKey('key_a')).toEqual([daily(1)]);
    expect(store.calls).toBe(2);
    store.answer();
    await settle();
    expect(cache.forKey('key_a')).toEqual([daily(2)]);
  });

  it('keeps the cached budgets when a refresh fails, and retries a failed first load', async () => {
    const { store, cache, advance } = setup(1000);
    store.fail = true;
    const failed = cache.forKey('key_a');
    store.answer();
    await expect(failed).rejects.toThrow('store down');
    store.fail = false;
    const loaded = cache.forKey('key_a');
    store.answer();
    await loaded;
    store.fail = true;
    advance(5000);
    expect(cache.forKey('key_a')).toEqual([daily(1)]);
    store.answer();
    await settle();
    expect(cache.forKey('key_a')).toEqual([daily(1)]);
  });

  it('invalidate drops a key (or all), and a load that started before it does not store what it read', async () => {
    const { store, cache } = setup();
    const loading = cache.forKey('key_a');
    cache.invalidate('key_a');
    store.answer();
    await loading;
    store.limit = 3;
    const reloaded = cache.forKey('key_a');
    expect(reloaded).toBeInstanceOf(Promise);
    store.answer();
    expect(await reloaded).toEqual([daily(3)]);
    cache.invalidate();
    store.limit = 4;
    const again = cache.forKey('key_a');
    store.answer();
    expect(await again).toEqual([daily(4)]);
  });
});
