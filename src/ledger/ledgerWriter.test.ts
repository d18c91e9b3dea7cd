import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SpillFile, SpillReplay } from './ledgerSpill.js';
import { LedgerWriter, type LedgerScheduler } from './ledgerWriter.js';
import { usageRecordFixture } from '../../test/support/usageRecordFixture.js';
import type { UsageRecord } from './usageRecord.js';

/** Timers under the test's control: nothing runs until `advance`. */
class ManualScheduler implements LedgerScheduler {
  now = 0;
  private tasks: { at: number; seq: number; task: () => void }[] = [];
  private seq = 0;

  schedule(task: () => void, ms: number): () => void {
    const entry = { at: this.now + ms, seq: this.seq++, task };
    this.tasks.push(entry);
    return () => {
      this.tasks = this.tasks.filter((candidate) => candidate !== entry);
    };
  }

  get pending(): number {
    return this.tasks.length;
  }

  /** Moves the clock, running due tasks in time order and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await settle();
      const due = this.tasks.filter((entry) => entry.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.tasks = this.tasks.filter((entry) => entry !== due);
      this.now = Math.max(this.now, due.at);
      due.task();
    }
    this.now = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

class FakeStore {
  batches: UsageRecord[][] = [];
  failures = 0;
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  gate: Promise<void> | undefined;

  async insertUsage(records: readonly UsageRecord[]): Promise<void> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate !== undefined) await this.gate;
      if (this.failures > 0) {
        this.failures--;
        throw new Error('database is down');
      }
      this.batches.push([...records]);
    } finally {
      this.inFlight--;
    }
  }

  get written(): number {
    return this.batches.reduce((sum, batch) => sum + batch.length, 0);
  }
}

/** A spill file in memory, with the file's contract: a failed replay keeps everything for the next one. */
class MemorySpill implements SpillFile {
  records: UsageRecord[] = [];
  failAppends = false;

  async append(records: readonly UsageRecord[]): Promise<void> {
    if (this.failAppends) throw new Error('disk full');
    this.records.push(...records);
  }

  async replay(write: (records: readonly UsageRecord[]) => Promise<void>, batchSize: number): Promise<SpillReplay> {
    const taken = this.records;
    for (let start = 0; start < taken.length; start += batchSize) await write(taken.slice(start, start + batchSize));
    this.records = this.records.slice(taken.length);
    return { written: taken.length, unreadable: 0 };
  }
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const record = usageRecordFixture;

function setup(options: { batchSize?: number; flushIntervalMs?: number; maxAttempts?: number; maxQueued?: number } = {}) {
  const scheduler = new ManualScheduler();
  const store = new FakeStore();
  const { logger, lines } = capture();
  const writer = new LedgerWriter({ store, logger, scheduler, batchSize: 100, flushIntervalMs: 250, retryDelayMs: 200, ...options });
  return { scheduler, store, writer, lines };
}

describe('LedgerWriter', () => {
  it('only enqueues up to a full batch: record() calls the store only when more than a batch would wait', () => {
    const { store, writer } = setup();
    for (let i = 0; i < 100; i++) writer.record(record());
    expect(store.calls).toBe(0);
    expect(writer.getStats().queued).toBe(100);
    // A burst within one turn, before the scheduled write ran: the 101st starts it, so a crash loses at most one batch.
    writer.record(record());
    expect(store.calls).toBe(1);
    for (let i = 0; i < 300; i++) writer.record(record());
    expect(store.calls).toBe(1);
    expect(writer.getStats().queued).toBe(401);
  });

  it('writes a partial batch flush_interval_ms after its first record', async () => {
    const { scheduler, store, writer } = setup();
    for (let i = 0; i < 99; i++) writer.record(record());
    await scheduler.advance(249);
    expect(store.calls).toBe(0);
    await scheduler.advance(1);
    expect(store.batches.map((batch) => batch.length)).toEqual([99]);
    expect(writer.getStats()).toMatchObject({ queued: 0, written: 99, dropped: 0 });
  });

  it('writes a full batch at once, without waiting for the interval', async () => {
    const { scheduler, store, writer } = setup();
    for (let i = 0; i < 100; i++) writer.record(record());
    await scheduler.advance(0);
    expect(store.batches.map((batch) => batch.length)).toEqual([100]);
  });

  it('splits a burst into full batches and writes the rest after the interval', async () => {
    const { scheduler, store, writer } = setup();
    for (let i = 0; i < 250; i++) writer.record(record());
    await scheduler.advance(0);
    expect(store.batches.map((batch) => batch.length)).toEqual([100, 100]);
    await scheduler.advance(250);
    expect(store.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(store.batches.flat().map((entry) => entry.requestId)).toEqual([...new Set(store.batches.flat().map((entry) => entry.requestId))]);
  });

  it('keeps one write in flight; records arriving meanwhile go in the next batches', async () => {
    const { scheduler, store, writer } = setup({ batchSize: 10 });
    let open: () => void = () => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(0);
    for (let i = 0; i < 25; i++) writer.record(record());
    await scheduler.advance(0);
    expect(store.calls).toBe(1);
    store.gate = undefined;
    open();
    await scheduler.advance(0);
    expect(store.batches.map((batch) => batch.length)).toEqual([10, 10, 10]);
    await scheduler.advance(250);
    expect(store.batches.map((batch) => batch.length)).toEqual([10, 10, 10, 5]);
    expect(store.maxInFlight).toBe(1);
  });

  it('retries a failed batch with back-off and writes it once the store answers', async () => {
    const { scheduler, store, writer, lines } = setup();
    store.failures = 2;
    for (let i = 0; i < 100; i++) writer.record(record());
    await scheduler.advance(0);
    expect(store.calls).toBe(1);
    await scheduler.advance(199);
    expect(store.calls).toBe(1);
    await scheduler.advance(1);
    expect(store.calls).toBe(2);
    await scheduler.advance(400);
    expect(store.calls).toBe(3);
    expect(store.batches.map((batch) => batch.length)).toEqual([100]);
    expect(writer.getStats()).toMatchObject({ written: 100, dropped: 0, failedWrites: 2 });
    expect(lines.filter((line) => line.msg === 'usage ledger: write failed, retrying')).toHaveLength(2);
  });

  it('gives every record an id of its own, kept across retries, so the store can skip a write that landed unacknowledged', async () => {
    const { scheduler, store, writer } = setup({ batchSize: 3 });
    const other = new LedgerWriter({ store, logger: capture().logger, scheduler, batchSize: 3 });
    store.failures = 1;
    for (let i = 0; i < 3; i++) writer.record(record());
    const given = record({ recordId: 'kept' });
    other.record(given);
    other.record(record());
    other.record(record());
    await scheduler.advance(1_000);
    const ids = store.batches.flat().map((written) => written.recordId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toContain('kept');
    // The retried batch is the same records with the same ids as the failed attempt.
    expect(store.calls).toBe(3);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  });

  it('drops a batch after max_attempts failures, logs it, and tries later batches once each until the store is back', async () => {
    const { scheduler, store, writer, lines } = setup({ maxAttempts: 3, batchSize: 10 });
    store.failures = 4;
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(10_000);
    expect(store.calls).toBe(3);
    expect(writer.getStats()).toMatchObject({ dropped: 10, written: 0 });
    expect(lines.some((line) => line.msg === 'usage ledger: batch dropped after failed writes' && line.records === 10)).toBe(true);
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(0);
    expect(store.calls).toBe(4); // one try, then dropped: a dead store does not pile up retries
    expect(writer.getStats().dropped).toBe(20);
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(0);
    expect(writer.getStats()).toMatchObject({ written: 10, dropped: 20 });
    expect(lines.some((line) => line.msg === 'usage ledger: the store accepts writes again')).toBe(true);
  });

  it('with a spill file: a batch the store refuses after its tries is kept there, and written once the store takes writes again', async () => {
    const spill = new MemorySpill();
    const scheduler = new ManualScheduler();
    const store = new FakeStore();
    const { logger, lines } = capture();
    const spilling = new LedgerWriter({ store, logger, scheduler, batchSize: 10, maxAttempts: 2, retryDelayMs: 200, spill });
    store.failures = 3;
    const refused = Array.from({ length: 10 }, () => record());
    for (const entry of refused) spilling.record(entry);
    await scheduler.advance(10_000);
    expect(spill.records).toEqual(refused);
    expect(spilling.getStats()).toMatchObject({ written: 0, dropped: 0, spilled: 10, replayed: 0 });
    // Store still down: the next batch gets one try and joins the spill.
    for (let i = 0; i < 10; i++) spilling.record(record());
    await scheduler.advance(0);
    expect(spilling.getStats()).toMatchObject({ spilled: 20, dropped: 0 });
    // Back: the next batch is written and the spill follows it into the store.
    for (let i = 0; i < 10; i++) spilling.record(record());
    await scheduler.advance(0);
    await spilling.close();
    expect(spill.records).toEqual([]);
    expect(spilling.getStats()).toMatchObject({ written: 10, spilled: 20, replayed: 20, dropped: 0 });
    expect(store.written).toBe(30);
    expect(new Set(store.batches.flat().map((entry) => entry.requestId)).size).toBe(30);
    expect(lines.map((line) => line.msg)).toEqual([
      'usage ledger: write failed, retrying',
      'usage ledger: the store refuses writes; records kept in the spill file until it is back',
      'usage ledger: the store accepts writes again',
      'usage ledger: spilled records written to the store',
    ]);
  });

  it('with a spill file: close() while the store is down keeps every queued record there', async () => {
    const spill = new MemorySpill();
    const store = new FakeStore();
    const writer = new LedgerWriter({ store, logger: pino({ level: 'silent' }), batchSize: 100, maxAttempts: 2, retryDelayMs: 1, spill });
    store.failures = 1_000;
    for (let i = 0; i < 130; i++) writer.record(record());
    await writer.close();
    expect(spill.records).toHaveLength(130);
    expect(writer.getStats()).toMatchObject({ written: 0, dropped: 0, spilled: 130, queued: 0 });
  });

  it('drops a refused batch, logged, when the spill file cannot be written either; a failed replay keeps the spill', async () => {
    const spill = new MemorySpill();
    const { logger, lines } = capture();
    const store = new FakeStore();
    const writer = new LedgerWriter({ store, logger, batchSize: 5, maxAttempts: 1, retryDelayMs: 1, spill });
    store.failures = 2;
    spill.failAppends = true;
    for (let i = 0; i < 5; i++) writer.record(record());
    await writer.flush();
    expect(writer.getStats()).toMatchObject({ dropped: 5, spilled: 0 });
    expect(lines.map((line) => line.msg)).toEqual(['usage ledger: the spill file cannot be written either', 'usage ledger: batch dropped after failed writes']);
    spill.failAppends = false;
    for (let i = 0; i < 5; i++) writer.record(record());
    await writer.flush();
    expect(spill.records).toHaveLength(5);
    store.failures = 1; // the replay's own write fails
    await writer.replaySpill();
    expect(spill.records).toHaveLength(5);
    expect(lines.at(-1)?.msg).toBe('usage ledger: replaying the spill file failed; it is kept for the next try');
    await writer.replaySpill();
    expect(spill.records).toHaveLength(0);
    expect(writer.getStats()).toMatchObject({ replayed: 5, spilled: 5, dropped: 5 });
  });

  it('a replay that failed at start is tried again after the next write the store takes', async () => {
    const spill = new MemorySpill();
    const leftByEarlierRun = Array.from({ length: 7 }, () => record());
    spill.records.push(...leftByEarlierRun);
    const store = new FakeStore();
    const writer = new LedgerWriter({ store, logger: pino({ level: 'silent' }), batchSize: 5, maxAttempts: 1, spill });
    store.failures = 1;
    await writer.replaySpill();
    expect(spill.records).toHaveLength(7);
    for (let i = 0; i < 5; i++) writer.record(record());
    await writer.close();
    expect(spill.records).toEqual([]);
    expect(writer.getStats()).toMatchObject({ written: 5, replayed: 7, spilled: 0, dropped: 0 });
    expect(store.batches.flat().slice(5)).toEqual(leftByEarlierRun);
  });

  it('never lets a failure escape: nothing throws and no promise is left rejected', async () => {
    const { scheduler, store, writer } = setup({ maxAttempts: 1 });
    store.failures = 100;
    for (let i = 0; i < 300; i++) expect(() => writer.record(record())).not.toThrow();
    await scheduler.advance(1_000);
    await expect(writer.flush()).resolves.toBeUndefined();
  });

  it('holds at most max_queued records while the store is stuck, dropping the newest beyond', async () => {
    const { scheduler, store, writer, lines } = setup({ batchSize: 10, maxQueued: 50 });
    store.gate = new Promise(() => undefined); // never answers
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(0);
    for (let i = 0; i < 60; i++) writer.record(record());
    expect(writer.getStats()).toMatchObject({ queued: 60, dropped: 10 });
    expect(lines.some((line) => line.msg === 'usage ledger queue full (the store is failing)')).toBe(true);
  });

  it('with a spill file: records beyond max_queued while the store hangs go to the spill file, not away', async () => {
    const spill = new MemorySpill();
    const scheduler = new ManualScheduler();
    const store = new FakeStore();
    const { logger, lines } = capture();
    const writer = new LedgerWriter({ store, logger, scheduler, batchSize: 10, maxQueued: 50, spill });
    store.gate = new Promise(() => undefined); // never answers
    for (let i = 0; i < 10; i++) writer.record(record());
    await scheduler.advance(0);
    const late = Array.from({ length: 60 }, () => record({ costMicros: 7 }));
    for (const entry of late) writer.record(entry);
    expect(writer.pendingMicrosSince(null, 0)).toBe(10 * 10 + 60 * 7);
    await scheduler.advance(0);
    expect(spill.records).toEqual(late.slice(50));
    expect(writer.getStats()).toMatchObject({ queued: 60, spilled: 10, dropped: 0 });
    expect(lines.map((line) => line.msg)).toEqual(['usage ledger: the store refuses writes; records kept in the spill file until it is back']);
  });

  it('flush() writes everything queued at once; close() also refuses later records', async () => {
    const { store, writer, lines } = setup();
    for (let i = 0; i < 130; i++) writer.record(record());
    await writer.flush();
    expect(store.batches.map((batch) => batch.length)).toEqual([100, 30]);
    writer.record(record());
    await writer.close();
    expect(store.written).toBe(131);
    writer.record(record());
    expect(writer.getStats()).toMatchObject({ written: 131, dropped: 1, queued: 0 });
    expect(lines.some((line) => line.msg === 'usage record after the ledger was closed')).toBe(true);
  });

  it('close() waits for a write in flight and its retries', async () => {
    const scheduler: LedgerScheduler = { schedule: (task, ms) => {
      const handle = setTimeout(task, ms);
      return () => clearTimeout(handle);
    } };
    const store = new FakeStore();
    store.failures = 1;
    const writer = new LedgerWriter({ store, logger: capture().logger, scheduler, batchSize: 5, retryDelayMs: 5 });
    for (let i = 0; i < 7; i++) writer.record(record());
    await writer.close();
    expect(store.written).toBe(7);
  });

  it('reports the cost of records not yet written, per key or for all, since a time', async () => {
    const { scheduler, store, writer } = setup({ batchSize: 2 });
    let open: () => void = () => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    writer.record(record({ keyId: 'a', costMicros: 1 }));
    writer.record(record({ keyId: 'b', costMicros: 10 }));
    await scheduler.advance(0); // this batch is now being written
    writer.record(record({ keyId: 'a', costMicros: 100, time: '2026-03-02T11:00:00.000Z' }));
    expect(writer.pendingMicrosSince('a', 0)).toBe(101);
    expect(writer.pendingMicrosSince(null, 0)).toBe(111);
    expect(writer.pendingMicrosSince('a', Date.parse('2026-03-02T10:30:00Z'))).toBe(100);
    store.gate = undefined;
    open();
    await scheduler.advance(250);
    expect(writer.pendingMicrosSince(null, 0)).toBe(0);
  });
});
