import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Bound parameter values of one row, in the statement's order. */
export type SqliteRow = readonly (string | number | bigint | Buffer | null)[];

export interface SqliteBatchWriterOptions {
  /** The database file (not `:memory:`: a worker thread cannot share it). */
  path: string;
  /** The statement run once per row, all rows of a batch in one transaction. */
  sql: string;
  busyTimeoutMs: number;
}

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The worker's whole program (CommonJS, evaluated): its own connection to the file, one prepared statement, one
 * transaction per batch, a reply per batch. A string rather than a module file so that the same code runs from the
 * TypeScript sources under the test runner and from the built package.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('synchronous = NORMAL');
const statement = db.prepare(workerData.sql);
const runAll = db.transaction((rows) => { for (const row of rows) statement.run(row); });
parentPort.on('message', (message) => {
  try {
    runAll(message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Writes batches of rows to a SQLite file from a worker thread of its own, so that the B-tree work of the usage
 * ledger (several µs a row with its indexes) leaves the request thread. WAL mode lets it write beside the main
 * connection; busy_timeout covers the moments both write. A batch resolves once committed. The worker is started on
 * first use, holds the process open only while a batch is pending, and is started again after it dies.
 */
export class SqliteBatchWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: SqliteBatchWriterOptions) {}

  run(rows: readonly SqliteRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise<void>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows });
    });
  }

  /** Waits for nothing: callers flush first (the ledger's close). Pending batches fail if any are left. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.failAll(new Error('SQLite batch writer closed'));
  }

  private start(): Worker {
    const worker = new Worker(WORKER_PROGRAM, { eval: true, workerData: { driver: DRIVER, ...this.options } });
    worker.unref();
    worker.on('message', (message: { id: number; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error === undefined) pending.resolve();
      else pending.reject(new Error(message.error));
    });
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) => this.died(worker, new Error(`SQLite batch writer exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private died(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    // Whether those batches were committed is unknown; the ledger writer retries them.
    this.failAll(error);
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(error);
  }
}
