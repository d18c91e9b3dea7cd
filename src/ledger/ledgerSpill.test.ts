import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonLinesSpillFile, parseSpill } from './ledgerSpill.js';
import { usageRecordFixture } from '../../test/support/usageRecordFixture.js';
import type { UsageRecord } from './usageRecord.js';

let folder: string;
let counter = 0;

function record(overrides: Partial<UsageRecord> = {}): UsageRecord {
  counter++;
  return usageRecordFixture({ metadata: { team: 'ünïcode "quoted"\nline' }, recordId: `w:${counter}`, ...overrides });
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'switchyard-spill-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('JsonLinesSpillFile', () => {
  it('appends batches (creating the folder) and replays every record in order, in batches, then forgets them', async () => {
    const path = join(folder, 'nested', 'spill.jsonl');
    const spill = new JsonLinesSpillFile(path);
    const first = [record(), record(), record()];
    const second = [record({ ttftMs: 12, stream: true })];
    await spill.append(first);
    await spill.append(second);
    await spill.append([]);
    expect(readFileSync(path, 'utf8').split('\n').filter((line) => line !== '')).toHaveLength(4);
    const batches: UsageRecord[][] = [];
    const replay = await spill.replay(async (records) => void batches.push([...records]), 2);
    expect(replay).toEqual({ written: 4, unreadable: 0 });
    expect(batches.map((batch) => batch.length)).toEqual([2, 2]);
    expect(batches.flat()).toEqual([...first, ...second]);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.replaying`)).toBe(false);
    expect(await spill.replay(async () => undefined, 2)).toEqual({ written: 0, unreadable: 0 });
  });

  it('skips a line torn by a crash and lines that are not records, counting them', async () => {
    const path = join(folder, 'spill.jsonl');
    const kept = record();
    writeFileSync(path, `${JSON.stringify(kept)}\n{"time":"2026-03-02T10:00:00.000Z"}\n[1,2]\n{"time":"2026-03-02T1`);
    const written: UsageRecord[] = [];
    expect(await new JsonLinesSpillFile(path).replay(async (records) => void written.push(...records), 10)).toEqual({ written: 1, unreadable: 3 });
    expect(written).toEqual([kept]);
  });

  it('keeps the file when a write fails, and replays it whole next time along with records appended meanwhile', async () => {
    const path = join(folder, 'spill.jsonl');
    const spill = new JsonLinesSpillFile(path);
    const early = [record(), record(), record(), record()];
    await spill.append(early);
    let calls = 0;
    await expect(
      spill.replay(async () => {
        if (++calls === 2) throw new Error('store down again');
      }, 2),
    ).rejects.toThrow('store down again');
    expect(existsSync(`${path}.replaying`)).toBe(true);
    const late = record();
    await spill.append([late]);
    const written: UsageRecord[] = [];
    expect(await spill.replay(async (records) => void written.push(...records), 2)).toEqual({ written: 5, unreadable: 0 });
    // The interrupted replay's file first (ids let the store skip what it already took), then the newer one.
    expect(written).toEqual([...early, late]);
    expect(existsSync(path) || existsSync(`${path}.replaying`)).toBe(false);
  });

  it.each([1 << 20, 4099])('reads a file larger than its read chunk (%i bytes) in pieces, multi-byte characters across chunk edges intact', async (chunkBytes) => {
    const path = join(folder, 'spill.jsonl');
    const spill = new JsonLinesSpillFile(path, chunkBytes);
    // Lengths that vary, so that chunk edges fall inside the four-byte emoji and the two-byte letters.
    const records = Array.from({ length: 6_000 }, (_, index) => record({ metadata: { note: `ü🚀é${'ß'.repeat(index % 97)}🚀` } }));
    for (let start = 0; start < records.length; start += 1_000) await spill.append(records.slice(start, start + 1_000));
    expect(readFileSync(path).length).toBeGreaterThan(2 * 1024 * 1024);
    const batches: number[] = [];
    const written: UsageRecord[] = [];
    const replay = await spill.replay(async (batch) => {
      batches.push(batch.length);
      written.push(...batch);
    }, 500);
    expect(replay).toEqual({ written: 6_000, unreadable: 0 });
    expect(Math.max(...batches)).toBe(500);
    expect(written).toEqual(records);
  });

  it('rejects an append it cannot write', async () => {
    const blocker = join(folder, 'file');
    writeFileSync(blocker, '');
    await expect(new JsonLinesSpillFile(join(blocker, 'spill.jsonl')).append([record()])).rejects.toThrow();
  });
});

describe('parseSpill', () => {
  it('reads what the spill writes, every field and the record id intact', () => {
    const records = [record({ errorCode: 'upstream_error', status: 502 }), record()];
    const text = records.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
    expect(parseSpill(text)).toEqual({ records, unreadable: 0 });
    expect(parseSpill('\n\n')).toEqual({ records: [], unreadable: 0 });
  });
});
