import { describe, expect, it } from 'vitest';
import type { BudgetPeriod } from './budgetDefinition.js';
import { periodWindow } from './budgetPeriods.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('periodWindow (UTC; weeks from Monday)', () => {
  it.each<[BudgetPeriod, string, string, string]>([
    ['daily', '2025-03-14T12:34:56.789Z', '2025-03-14T00:00:00.000Z', '2025-03-15T00:00:00.000Z'],
    ['daily', '2025-03-14T00:00:00.000Z', '2025-03-14T00:00:00.000Z', '2025-03-15T00:00:00.000Z'],
    ['daily', '2025-03-14T23:59:59.999Z', '2025-03-14T00:00:00.000Z', '2025-03-15T00:00:00.000Z'],
    ['daily', '2024-12-31T23:59:59.999Z', '2024-12-31T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    // Monday 2025-03-10 .. Sunday 2025-03-16
    ['weekly', '2025-03-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z'],
    ['weekly', '2025-03-12T08:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z'],
    ['weekly', '2025-03-16T23:59:59.999Z', '2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z'],
    ['weekly', '2025-03-09T23:59:59.999Z', '2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z'],
    // A week across a month and a year end: Monday 2024-12-30 .. Sunday 2025-01-05
    ['weekly', '2025-01-01T10:00:00.000Z', '2024-12-30T00:00:00.000Z', '2025-01-06T00:00:00.000Z'],
    ['weekly', '2025-01-05T23:00:00.000Z', '2024-12-30T00:00:00.000Z', '2025-01-06T00:00:00.000Z'],
    ['monthly', '2025-01-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
    ['monthly', '2025-02-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
    ['monthly', '2024-02-29T12:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['monthly', '2025-04-30T23:59:59.999Z', '2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
    ['monthly', '2025-12-31T23:59:59.999Z', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ])('%s at %s is [%s, %s)', (period, now, start, end) => {
    const window = periodWindow(period, at(now));
    expect([iso(window.start), iso(window.end)]).toEqual([start, end]);
  });

  it('ignores the local time zone of the process', () => {
    // Date.UTC and getUTC* only; a time that is Sunday evening in UTC is Monday in Asia.
    const window = periodWindow('weekly', at('2025-03-16T20:00:00.000Z'));
    expect(iso(window.start)).toBe('2025-03-10T00:00:00.000Z');
  });
});
