import { appendFile, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UsageRecord } from './usageRecord.js';

/** Where the ledger keeps batches the store refused, until it takes them again. */
export interface SpillFile {
  /** Appends records; rejects when the file cannot be written. */
  append(records: readonly UsageRecord[]): Promise<void>;
  /**
   * Hands every spilled record to `write` in batches of `batchSize`, then forgets them. Rejects at the first failed
   * write and keeps the file for the next replay (record ids make writing a record again harmless).
   */
  replay(write: (records: readonly UsageRecord[]) => Promise<void>, batchSize: number): Promise<SpillReplay>;
}

export interface SpillReplay {
  written: number;
  /** Lines that were not a record (a line torn by a crash while it was appended). */
  unreadable: number;
}

/**
 * A JSON-lines file of usage records. A replay first renames the file to `<path>.replaying` (so records appended
 * meanwhile start a new file), writes its records, then deletes it; a replay interrupted by a crash is picked up
 * from `<path>.replaying` the next time. Appends from several processes are safe: each batch is one `write` in
 * append mode.
 */
export class JsonLinesSpillFile implements SpillFile {
  private readonly replayingPath: string;

  constructor(readonly path: string) {
    this.replayingPath = `${path}.replaying`;
  }

  async append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    let text = '';
    for (const record of records) text += JSON.stringify(record) + '\n';
    await appendFile(this.path, text, { encoding: 'utf8', mode: 0o600 });
  }

  async replay(write: (records: readonly UsageRecord[]) => Promise<void>, batchSize: number): Promise<SpillReplay> {
    const total: SpillReplay = { written: 0, unreadable: 0 };
    for (;;) {
      let text = await readIfPresent(this.replayingPath);
      if (text === undefined) {
        if (!(await renameIfPresent(this.path, this.replayingPath))) return total;
        text = (await readIfPresent(this.replayingPath)) ?? '';
      }
      const { records, unreadable } = parseSpill(text);
      total.unreadable += unreadable;
      for (let start = 0; start < records.length; start += batchSize) {
        const batch = records.slice(start, start + batchSize);
        await write(batch);
        total.written += batch.length;
      }
      await unlink(this.replayingPath).catch(ignoreMissing);
    }
  }
}

/** The records of a spill file's text; lines that are not a record are counted, not fatal. */
export function parseSpill(text: string): { records: UsageRecord[]; unreadable: number } {
  const records: UsageRecord[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isUsageRecord(value)) records.push(value);
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  return { records, unreadable };
}

function isUsageRecord(value: unknown): value is UsageRecord {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.time === 'string' && typeof record.requestId === 'string' && typeof record.status === 'number' && typeof record.costMicros === 'number';
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
}

async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    ignoreMissing(error);
    return false;
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
