import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './index.js';
import { pendingMigrations, unknownMigrations, type Migration } from './migration.js';

const migration = (version: number): Migration => ({ version, name: `m${version}`, sqlite: 'SELECT 1', postgres: 'SELECT 1' });

describe('migrations', () => {
  it('the registered list is in ascending order, starts at 1 and has SQL for both dialects', () => {
    expect(() => pendingMigrations(MIGRATIONS, [])).not.toThrow();
    expect(MIGRATIONS[0]?.version).toBe(1);
    for (const entry of MIGRATIONS) {
      expect(entry.sqlite.trim()).not.toBe('');
      expect(entry.postgres.trim()).not.toBe('');
      expect(entry.name).not.toBe('');
    }
  });

  it('pendingMigrations returns the versions not applied, in order', () => {
    expect(pendingMigrations([migration(1), migration(2), migration(5)], [1]).map((entry) => entry.version)).toEqual([2, 5]);
    expect(pendingMigrations([migration(1), migration(2)], [1, 2])).toEqual([]);
  });

  it.each([
    [[migration(2), migration(1)]],
    [[migration(1), migration(1)]],
    [[migration(0)]],
    [[migration(1.5)]],
  ])('refuses a malformed list %#', (list) => {
    expect(() => pendingMigrations(list, [])).toThrow(/out of order/);
  });

  it('unknownMigrations names versions applied by a newer build', () => {
    expect(unknownMigrations([migration(1), migration(2)], [1, 2, 3, 7])).toEqual([3, 7]);
  });
});
