import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStoreEvents } from '../../src/store/storeEvents.js';
import { REDIS_URL, uniqueRedisPrefix } from './support/testDatabases.js';

const logger = pino({ level: 'silent' });
const opened: RedisStoreEvents[] = [];

function events(prefix: string, instanceId = randomUUID()): RedisStoreEvents {
  const created = new RedisStoreEvents({ url: REDIS_URL, prefix, logger, instanceId });
  opened.push(created);
  return created;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((entry) => entry.close()));
});

describe('RedisStoreEvents', () => {
  it('delivers a change to the other instances on its channel, never back to the sender', async () => {
    const prefix = uniqueRedisPrefix();
    const a = events(prefix);
    const b = events(prefix);
    const other = events(uniqueRedisPrefix());
    const seen = { aKeys: [] as unknown[], bKeys: [] as unknown[], bBudgets: [] as unknown[], other: [] as unknown[] };
    a.subscribe('keys', (message) => seen.aKeys.push(message));
    b.subscribe('keys', (message) => seen.bKeys.push(message));
    b.subscribe('budgets', (message) => seen.bBudgets.push(message));
    other.subscribe('keys', (message) => seen.other.push(message));
    await Promise.all([a.start(), b.start(), other.start()]);
    expect([a.live, b.live, other.live]).toEqual([true, true, true]);

    await a.publish('keys', { op: 'revoked', keyId: 'key_1' });
    await a.publish('budgets', { op: 'put', id: 'bud_1', keyId: null });
    await until(() => seen.bKeys.length === 1 && seen.bBudgets.length === 1);
    expect(seen.bKeys[0]).toMatchObject({ op: 'revoked', keyId: 'key_1' });
    expect(seen.bBudgets[0]).toMatchObject({ op: 'put', id: 'bud_1', keyId: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.aKeys).toEqual([]);
    expect(seen.other).toEqual([]);
  });

  it('goes not-live when its subscription drops and live again (announcing it) when Redis reconnects', async () => {
    const instanceId = randomUUID();
    const prefix = uniqueRedisPrefix();
    const subject = events(prefix, instanceId);
    const sender = events(prefix);
    const received: unknown[] = [];
    subject.subscribe('keys', (message) => received.push(message));
    const changes: boolean[] = [];
    subject.onLiveChange((live) => changes.push(live));
    await Promise.all([subject.start(), sender.start()]);
    expect(changes).toEqual([true]);
    changes.length = 0;
    const admin = new Redis(REDIS_URL);
    try {
      const clients = (await admin.client('LIST')) as string;
      const line = clients.split('\n').find((entry) => entry.includes(`name=switchyard-store-events-${instanceId.slice(0, 8)}`));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id as string);
    } finally {
      admin.disconnect();
    }
    await until(() => changes.length >= 2);
    expect(changes.slice(0, 2)).toEqual([false, true]);
    expect(subject.live).toBe(true);
    await sender.publish('keys', { op: 'revoked', keyId: 'after-reconnect' });
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ keyId: 'after-reconnect' });
  });

  it('starts without Redis (not live, nothing thrown) and publishes nothing', async () => {
    const subject = new RedisStoreEvents({ url: 'redis://127.0.0.1:1', prefix: 'x:', logger });
    opened.push(subject);
    await subject.start();
    expect(subject.live).toBe(false);
    await expect(subject.publish('keys', { op: 'revoked', keyId: 'k' })).resolves.toBeUndefined();
  }, 15_000);
});
