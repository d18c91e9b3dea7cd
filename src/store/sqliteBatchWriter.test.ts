import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBatchWriter } from './sqliteBatchWriter.js';

describe('SqliteBatchWriter', () => {
  let folder: string;
  let path: string;
  let db: Database.Database;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'switchyard-batch-writer-'));
    path = join(folder, 'test.db');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER)');
  });

  afterEach(() => {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const writer = () => new SqliteBatchWriter({ path, sql: 'INSERT INTO rows (name, size) VALUES (?, ?)', busyTimeoutMs: 1_000 });
  const names = () => (db.prepare('SELECT name FROM rows ORDER BY id').all() as { name: string }[]).map((row) => row.name);

  it('commits each batch from its worker thread, visible to another connection once the batch resolves', async () => {
    const batches = writer();
    await batches.run([
      ['a', 1],
      ['b', null],
    ]);
    expect(names()).toEqual(['a', 'b']);
    await Promise.all([batches.run([['c', 3]]), batches.run([['d', 4]])]);
    expect(names()).toEqual(['a', 'b', 'c', 'd']);
    await batches.close();
  });

  it('rejects a failing batch as a whole and keeps serving the next ones', async () => {
    const batches = writer();
    await batches.run([['taken', 1]]);
    await expect(
      batches.run([
        ['fresh', 2],
        ['taken', 3],
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(names()).toEqual(['taken']);
    await batches.run([['later', 4]]);
    expect(names()).toEqual(['taken', 'later']);
    await batches.close();
  });

  it('writes beside a main connection that holds the write lock for a moment', async () => {
    const batches = writer();
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO rows (name) VALUES (?)').run('main');
    const pending = batches.run([['worker', 1]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    db.exec('COMMIT');
    await pending;
    expect(names()).toEqual(['main', 'worker']);
    await batches.close();
  });

  it('starts a new worker when used again after close', async () => {
    const batches = writer();
    await batches.run([['first', 1]]);
    await batches.close();
    await batches.run([['second', 2]]);
    expect(names()).toEqual(['first', 'second']);
    await batches.close();
  });
});
