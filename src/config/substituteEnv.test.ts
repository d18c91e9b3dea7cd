import { describe, expect, it } from 'vitest';
import { substituteEnv } from './substituteEnv.js';

const ENV: Record<string, string | undefined> = { KEY: 'sk-123', PORT: '9090', EMPTY: '', lower_case: 'lc', NESTED: '${KEY}', UNDEF: undefined };

describe('substituteEnv: strings', () => {
  it.each<[string, string]>([
    ['${KEY}', 'sk-123'],
    ['Bearer ${KEY}', 'Bearer sk-123'],
    ['${KEY}:${PORT}', 'sk-123:9090'],
    ['${MISSING}', ''],
    ['${UNDEF}', ''],
    ['${EMPTY}', ''],
    ['pre-${MISSING}-post', 'pre--post'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${MISSING:-http://localhost:8000/v1}', 'http://localhost:8000/v1'],
    ['${MISSING:-with spaces and $dollar}', 'with spaces and $dollar'],
    ['${KEY:-fallback}', 'sk-123'],
    // Like the shell's ":-", an empty value takes the default too.
    ['${EMPTY:-fallback}', 'fallback'],
    ['${lower_case}', 'lc'],
    ['${_X:-u}', 'u'],
    // A value is not substituted again.
    ['${NESTED}', '${KEY}'],
    // Not references: left as they are.
    ['$KEY', '$KEY'],
    ['${1BAD}', '${1BAD}'],
    ['${KEY', '${KEY'],
    ['${}', '${}'],
    ['${KEY-fallback}', '${KEY-fallback}'],
    ['plain text', 'plain text'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(substituteEnv(input, ENV)).toBe(output);
  });
});

describe('substituteEnv: trees', () => {
  it('substitutes every string in nested objects and arrays and leaves other values alone', () => {
    const input = {
      listen: { host: '${MISSING:-127.0.0.1}', port: '${PORT}' },
      providers: [{ id: 'openai', api_key: '${KEY}', headers: { 'x-a': 'v ${KEY}' }, max_connections: 8 }],
      flags: [true, false, null, 1.5, '${MISSING}'],
    };
    expect(substituteEnv(input, ENV)).toEqual({
      listen: { host: '127.0.0.1', port: '9090' },
      providers: [{ id: 'openai', api_key: 'sk-123', headers: { 'x-a': 'v sk-123' }, max_connections: 8 }],
      flags: [true, false, null, 1.5, ''],
    });
  });

  it('does not substitute keys', () => {
    expect(substituteEnv({ '${KEY}': 'x' }, ENV)).toEqual({ '${KEY}': 'x' });
  });

  it('does not mutate its input', () => {
    const input = { a: ['${KEY}'], b: { c: '${PORT}' } };
    const before = structuredClone(input);
    substituteEnv(Object.freeze(input), ENV);
    expect(input).toEqual(before);
  });

  it.each([null, undefined, 42, true])('returns %j unchanged', (value) => {
    expect(substituteEnv(value, ENV)).toBe(value);
  });
});
