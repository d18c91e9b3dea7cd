import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE, describeStoreLocation, parseStoreLocation } from './storeLocation.js';

describe('parseStoreLocation', () => {
  it.each<[string | undefined, ReturnType<typeof parseStoreLocation>]>([
    [undefined, { kind: 'sqlite', path: './data/switchyard.db' }],
    ['sqlite:./data/x.db', { kind: 'sqlite', path: './data/x.db' }],
    ['sqlite:/var/lib/switchyard.db', { kind: 'sqlite', path: '/var/lib/switchyard.db' }],
    ['sqlite:///var/lib/switchyard.db', { kind: 'sqlite', path: '/var/lib/switchyard.db' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['postgres://u:p@db:5432/gw', { kind: 'postgres', url: 'postgres://u:p@db:5432/gw' }],
    ['postgresql://db/gw', { kind: 'postgres', url: 'postgresql://db/gw' }],
  ])('%s', (value, expected) => {
    expect(parseStoreLocation(value)).toEqual(expected);
  });

  it('defaults to the SQLite file under ./data', () => {
    expect(DEFAULT_STORE).toBe('sqlite:./data/switchyard.db');
  });

  it.each(['sqlite:', 'mysql://db', 'file.db'])('refuses %j', (value) => {
    expect(() => parseStoreLocation(value)).toThrow();
  });

  it('describes a Postgres location without its password', () => {
    const text = describeStoreLocation(parseStoreLocation('postgres://user:s3cret@db.internal:5432/gw?sslmode=require'));
    expect(text).toBe('postgres://user@db.internal:5432/gw');
    expect(text).not.toContain('s3cret');
  });
});
