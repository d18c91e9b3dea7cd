/** Milliseconds → `412 µs` or `1.20 ms`; `+`/`-` sign on request (for differences). */
export function formatLatency(milliseconds: number, signed = false): string {
  if (Number.isNaN(milliseconds)) return 'n/a';
  const sign = signed ? (milliseconds < 0 ? '-' : '+') : milliseconds < 0 ? '-' : '';
  const magnitude = Math.abs(milliseconds);
  const text = magnitude < 1 ? `${Math.round(magnitude * 1000)} µs` : magnitude < 100 ? `${magnitude.toFixed(2)} ms` : `${magnitude.toFixed(0)} ms`;
  return sign + text;
}
