/** The last `capacity` timed values, oldest overwritten first; values older than the window are ignored. */
export class SlidingWindow {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number, private readonly windowMs: number) {
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  add(value: number, now: number): void {
    this.values[this.next] = value;
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.values.length;
    if (this.size < this.values.length) this.size++;
  }

  /** Values still inside the window. */
  current(now: number): number[] {
    const result: number[] = [];
    const oldest = now - this.windowMs;
    for (let index = 0; index < this.size; index++) {
      if ((this.times[index] as number) >= oldest) result.push(this.values[index] as number);
    }
    return result;
  }
}

/** Nearest-rank percentile of unsorted values (sorts a copy); undefined for none. */
export function percentile(values: number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}
