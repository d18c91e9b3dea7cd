import { appendFile, mkdir, open, rename, unlink } from 'node:fs/promises';
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

/** Bytes read at a time: a spill file of a long outage can be far larger than one string may be. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * A JSON-lines file of usage records. A replay first renames the file to `<path>.replaying` (so records appended
 * meanwhile start a new file), writes its records, then deletes it; a replay interrupted by a crash is picked up
 * from `<path>.replaying` the next time. Appends from several processes are safe: each batch is one `write` in
 * append mode.
 */
export class JsonLinesSpillFile implements SpillFile {
  private readonly replayingPath: string;

  /** `readChunkBytes`: how much a replay reads at a time (tests make it small to put chunk edges everywhere). */
  constructor(
    readonly path: string,
    private readonly readChunkBytes = READ_CHUNK_BYTES,
  ) {
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
      // An interrupted replay's file first; then whatever was appended since, moved aside.
      const replayed = { write, batchSize, total, chunkBytes: this.readChunkBytes };
      if (!(await replayFile(this.replayingPath, replayed))) {
        if (!(await renameIfPresent(this.path, this.replayingPath))) return total;
        await replayFile(this.replayingPath, replayed);
      }
      await unlink(this.replayingPath).catch(ignoreMissing);
    }
  }
}

/** Writes the records of the file at `path` in batches as it reads it; false when there is no such file. */
async function replayFile(
  path: string,
  { write, batchSize, total, chunkBytes }: { write: (records: readonly UsageRecord[]) => Promise<void>; batchSize: number; total: SpillReplay; chunkBytes: number },
): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    ignoreMissing(error);
    return false;
  }
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // Bytes after the last line end read so far: kept as bytes, since a chunk may end inside a character.
    let rest: Buffer = Buffer.alloc(0);
    let batch: UsageRecord[] = [];
    const take = (text: string): void => {
      const { records, unreadable } = parseSpill(text);
      total.unreadable += unreadable;
      batch.push(...records);
    };
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      // Lines end with '\n', which never occurs inside a UTF-8 sequence: splitting bytes there keeps characters whole.
      const end = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (end < 0) {
        rest = Buffer.concat([rest, buffer.subarray(0, bytesRead)]);
        continue;
      }
      take(Buffer.concat([rest, buffer.subarray(0, end + 1)]).toString('utf8'));
      rest = Buffer.from(buffer.subarray(end + 1, bytesRead));
      while (batch.length >= batchSize) {
        const full = batch.slice(0, batchSize);
        batch = batch.slice(batchSize);
        await write(full);
        total.written += full.length;
      }
    }
    take(rest.toString('utf8'));
    for (let start = 0; start < batch.length; start += batchSize) {
      const part = batch.slice(start, start + batchSize);
      await write(part);
      total.written += part.length;
    }
    return true;
  } finally {
    await file.close();
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
