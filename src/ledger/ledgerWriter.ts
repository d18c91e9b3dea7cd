import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SpillFile } from './ledgerSpill.js';
import type { UsageRecord, UsageSink } from './usageRecord.js';

/** Timers of the writer, injectable so tests drive batching without waiting. */
export interface LedgerScheduler {
  /** Runs `task` after `ms` (0: as soon as the current I/O callbacks are done); returns a function that cancels it. */
  schedule(task: () => void, ms: number): () => void;
}

/** Node's timers. They are not unref'd: a timer exists only while records wait, and a shutdown must not exit before they are written. */
export const nodeScheduler: LedgerScheduler = {
  schedule(task, ms) {
    if (ms <= 0) {
      const handle = setImmediate(task);
      return () => clearImmediate(handle);
    }
    const handle = setTimeout(task, ms);
    return () => clearTimeout(handle);
  },
};

export interface LedgerWriterOptions {
  store: { insertUsage(records: readonly UsageRecord[]): Promise<void> };
  logger: Logger;
  /** Records per write; a full batch is written at once (default 100). */
  batchSize?: number;
  /** A partial batch is written this long after its first record (default 250 ms). */
  flushIntervalMs?: number;
  /** Tries per batch before it is dropped (default 5); after a dropped batch, later batches get one try each until a write succeeds. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one (default 200 ms). */
  retryDelayMs?: number;
  /** Records held at most while the store is failing; newer ones go to the spill file beyond it, or are dropped without one (default 100 batches). */
  maxQueued?: number;
  scheduler?: LedgerScheduler;
  /** Prefix of the record ids this writer gives (default: a random UUID), unique to this writer so ids never collide across instances or restarts. */
  recordIdPrefix?: string;
  /** Where a batch goes when the store refuses it after its retries (instead of being dropped); replayed when the store is back. */
  spill?: SpillFile;
}

export interface LedgerStats {
  queued: number;
  written: number;
  dropped: number;
  failedWrites: number;
  /** Records put in the spill file because the store refused them. */
  spilled: number;
  /** Records of the spill file written to the store since (this run's and earlier runs'). */
  replayed: number;
}

/**
 * The usage ledger's sink: `record()` appends to an in-memory queue; batches go to the store off the request
 * path, when `batchSize` records are waiting or `flushIntervalMs` after the first of a partial batch (a record that
 * finds more than a full batch waiting and no write running starts the write itself). One write is in flight at a time. A failed write is retried with back-off, a bounded number of times, then put in the spill file
 * (replayed when the store accepts writes again, and at start) or, without one, logged and dropped. Each record
 * carries an id the store skips when it already holds it, so a write that landed unacknowledged is not doubled;
 * nothing here ever throws into a request or crashes the process. A crash loses what is queued, which the batch size
 * and interval bound; `close()` writes everything first.
 */
export class LedgerWriter implements UsageSink {
  private queue: UsageRecord[] = [];
  private inflight: readonly UsageRecord[] = [];
  private writing: Promise<void> | undefined;
  private drainAll = false;
  private cancelTimer: (() => void) | undefined;
  private cancelKick: (() => void) | undefined;
  private closed = false;
  private storeDown = false;
  private lastDropLog = 0;
  private readonly stats = { written: 0, dropped: 0, failedWrites: 0, spilled: 0, replayed: 0 };
  private lastSpillLog = -1;
  private replaying: Promise<void> | undefined;
  /** Records beyond maxQueued on their way to the spill file. */
  private overflow: UsageRecord[] = [];
  private overflowAppending: readonly UsageRecord[] = [];
  private spillingOverflow: Promise<void> | undefined;
  private replayAgain = false;
  /** The spill file may hold records: set by a spill or a failed replay, cleared when a replay starts. */
  private spillWaiting = false;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxQueued: number;
  private readonly scheduler: LedgerScheduler;
  private readonly recordIdPrefix: string;
  private recordsNumbered = 0;

  constructor(private readonly options: LedgerWriterOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.flushIntervalMs = Math.max(1, options.flushIntervalMs ?? 250);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 200);
    this.maxQueued = Math.max(this.batchSize, options.maxQueued ?? this.batchSize * 100);
    this.scheduler = options.scheduler ?? nodeScheduler;
    this.recordIdPrefix = options.recordIdPrefix ?? randomUUID();
  }

  record(record: UsageRecord): void {
    if (this.closed) {
      this.drop(1, 'usage record after the ledger was closed');
      return;
    }
    // A prefix and a counter: unique like a UUID per record, without the cost of one on every request.
    record.recordId ??= `${this.recordIdPrefix}:${(++this.recordsNumbered).toString(36)}`;
    if (this.queue.length >= this.maxQueued) {
      // The store has not answered for a long while: past the bound, records go straight to the spill file.
      if (this.options.spill === undefined) this.drop(1, 'usage ledger queue full (the store is failing)');
      else this.spillOverflow(record);
      return;
    }
    this.queue.push(record);
    if (this.writing !== undefined) return; // the running write picks it up when it finishes
    if (this.queue.length > this.batchSize) {
      // More than a full batch waits (a burst within one event-loop turn): write now, so that a crash never loses more than one batch.
      this.cancelKick?.();
      this.cancelKick = undefined;
      this.start();
    } else if (this.queue.length === this.batchSize) {
      this.kick();
    } else {
      this.armTimer();
    }
  }

  /** Writes everything queued so far; resolves once written, spilled, or dropped after the retries. */
  async flush(): Promise<void> {
    await this.spillingOverflow;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.cancelKick?.();
    this.cancelKick = undefined;
    while (this.queue.length > 0 || this.writing !== undefined) {
      this.drainAll = true;
      this.start();
      await this.writing;
    }
  }

  /** Refuses further records and flushes (what the store refuses goes to the spill file), then waits for a replay under way. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.replaying;
  }

  /**
   * Writes the spill file's records (left by this run or an earlier one) to the store, in the background; called at
   * start and whenever the store accepts writes again. Resolves when this replay is over; never rejects.
   */
  replaySpill(): Promise<void> {
    const spill = this.options.spill;
    if (spill === undefined) return Promise.resolve();
    if (this.replaying !== undefined) {
      this.replayAgain = true;
      return this.replaying;
    }
    const run = async (): Promise<void> => {
      do {
        this.replayAgain = false;
        this.spillWaiting = false;
        try {
          const replay = await spill.replay((records) => this.options.store.insertUsage(records), this.batchSize);
          this.stats.replayed += replay.written;
          if (replay.written > 0 || replay.unreadable > 0) {
            this.options.logger.info({ records: replay.written, unreadableLines: replay.unreadable }, 'usage ledger: spilled records written to the store');
          }
        } catch (error) {
          // The file stays; the next time the store accepts a batch it is tried again.
          this.spillWaiting = true;
          this.options.logger.warn({ err: error }, 'usage ledger: replaying the spill file failed; it is kept for the next try');
          return;
        }
      } while (this.replayAgain);
    };
    this.replaying = run().finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  getStats(): LedgerStats {
    return { queued: this.queue.length + this.inflight.length + this.overflow.length + this.overflowAppending.length, ...this.stats };
  }

  /** Cost of records not yet in the store (queued or being written) of a key (all keys when null), at or after `sinceMs`. */
  pendingMicrosSince(keyId: string | null, sinceMs: number): number {
    let sum = 0;
    for (const list of [this.inflight, this.queue, this.overflow, this.overflowAppending]) {
      for (const record of list) {
        if ((keyId === null || record.keyId === keyId) && Date.parse(record.time) >= sinceMs) sum += record.costMicros;
      }
    }
    return sum;
  }

  private kick(): void {
    this.cancelKick ??= this.scheduler.schedule(() => {
      this.cancelKick = undefined;
      this.start();
    }, 0);
  }

  private armTimer(): void {
    this.cancelTimer ??= this.scheduler.schedule(() => {
      this.cancelTimer = undefined;
      this.drainAll = true;
      this.start();
    }, this.flushIntervalMs);
  }

  private start(): void {
    if (this.writing !== undefined) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.queue.length >= this.batchSize) this.kick();
      else if (this.queue.length > 0) this.armTimer();
    });
  }

  /** Writes full batches, and the partial rest too when a timer or flush asked for everything. */
  private async drain(): Promise<void> {
    while (this.queue.length >= this.batchSize || (this.drainAll && this.queue.length > 0)) {
      const batch = this.queue.length <= this.batchSize ? this.queue : this.queue.slice(0, this.batchSize);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.batchSize);
      this.inflight = batch;
      try {
        await this.write(batch);
      } finally {
        this.inflight = [];
      }
    }
    this.drainAll = false;
  }

  private async write(batch: readonly UsageRecord[]): Promise<void> {
    const attempts = this.storeDown ? 1 : this.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.store.insertUsage(batch);
        this.stats.written += batch.length;
        if (this.storeDown) {
          this.options.logger.info('usage ledger: the store accepts writes again');
          this.storeDown = false;
          this.lastSpillLog = -1;
        }
        if (this.spillWaiting) void this.replaySpill();
        return;
      } catch (error) {
        this.stats.failedWrites++;
        if (attempt >= attempts) {
          this.storeDown = true;
          await this.spillOrDrop(batch, error, attempt);
          return;
        }
        this.options.logger.warn({ err: error, records: batch.length, attempt }, 'usage ledger: write failed, retrying');
        await new Promise<void>((resolve) => this.scheduler.schedule(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  /** Appends `record` to the overflow and, unless an append is under way (it takes the newcomers too), spills it. */
  private spillOverflow(record: UsageRecord): void {
    this.overflow.push(record);
    if (this.spillingOverflow !== undefined) return;
    const spill = this.options.spill;
    if (spill === undefined) return;
    const run = async (): Promise<void> => {
      while (this.overflow.length > 0) {
        const batch = this.overflow;
        this.overflow = [];
        this.overflowAppending = batch;
        try {
          await spill.append(batch);
          this.countSpilled(batch.length, new Error('the usage ledger queue is full: the store has not taken a batch for a long while'));
        } catch (error) {
          this.options.logger.error({ err: error }, 'usage ledger: the spill file cannot be written either');
          this.drop(batch.length, 'usage ledger queue full (the store is failing)');
        } finally {
          this.overflowAppending = [];
        }
      }
    };
    this.spillingOverflow = run().finally(() => {
      this.spillingOverflow = undefined;
    });
  }

  private countSpilled(records: number, cause: unknown, attempts?: number): void {
    this.stats.spilled += records;
    this.spillWaiting = true;
    // The first spill of an outage and then one line per 1000 records, so a failing store cannot flood the log.
    if (this.lastSpillLog < 0 || this.stats.spilled - this.lastSpillLog >= 1_000) {
      this.lastSpillLog = this.stats.spilled;
      this.options.logger.warn({ err: cause, records, spilled: this.stats.spilled, attempts }, 'usage ledger: the store refuses writes; records kept in the spill file until it is back');
    }
  }

  /** A batch the store refused after its tries: kept in the spill file when there is one, dropped (and logged) otherwise. */
  private async spillOrDrop(batch: readonly UsageRecord[], error: unknown, attempts: number): Promise<void> {
    const spill = this.options.spill;
    if (spill !== undefined) {
      try {
        await spill.append(batch);
        this.countSpilled(batch.length, error, attempts);
        return;
      } catch (spillError) {
        this.options.logger.error({ err: spillError }, 'usage ledger: the spill file cannot be written either');
      }
    }
    this.stats.dropped += batch.length;
    this.options.logger.error({ err: error, records: batch.length, attempts }, 'usage ledger: batch dropped after failed writes');
  }

  private drop(count: number, reason: string): void {
    this.stats.dropped += count;
    // At most one line per 1000 drops, so a failing store cannot flood the log.
    if (this.stats.dropped - this.lastDropLog >= 1_000 || this.lastDropLog === 0) {
      this.lastDropLog = this.stats.dropped;
      this.options.logger.error({ dropped: this.stats.dropped }, reason);
    }
  }
}
