import type { BudgetPeriod } from './budgetDefinition.js';

const DAY_MS = 86_400_000;

export interface PeriodWindow {
  /** Wall-clock ms of the period's first instant (00:00 UTC). */
  start: number;
  /** Wall-clock ms of the next period's first instant. */
  end: number;
}

/** The UTC period holding `now` (contract §9): days at 00:00 UTC, weeks from Monday 00:00 UTC, months from the 1st. */
export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  switch (period) {
    case 'daily': {
      const start = Date.UTC(year, month, day);
      return { start, end: start + DAY_MS };
    }
    case 'weekly': {
      // getUTCDay(): Sunday = 0; days since Monday = (weekday + 6) % 7.
      const start = Date.UTC(year, month, day - ((date.getUTCDay() + 6) % 7));
      return { start, end: start + 7 * DAY_MS };
    }
    case 'monthly':
      return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  }
}
