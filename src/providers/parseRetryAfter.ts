import type { ResponseHeaders } from './adapter.js';

/** Seconds to wait from `retry-after-ms`, `retry-after` (seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  // Number('') is 0: an empty header would otherwise read as "retry now".
  if (milliseconds !== undefined && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value / 1000);
  }
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  // A negative number is unreadable, not a date (Date.parse('-1') is a year).
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds) : undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
