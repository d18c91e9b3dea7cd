/** Per-request latencies in milliseconds (sub-millisecond precision), with percentiles. */
export class LatencySamples {
  private values = new Float64Array(4096);
  private count = 0;
  private sorted: Float64Array | undefined;

  get size(): number {
    return this.count;
  }

  add(milliseconds: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = milliseconds;
    this.sorted = undefined;
  }

  addAll(other: LatencySamples): void {
    for (let index = 0; index < other.count; index++) this.add(other.values[index] as number);
  }

  /** Nearest-rank percentile in milliseconds (`p` in 0..100); NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    this.sorted ??= this.values.slice(0, this.count).sort();
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1));
    return this.sorted[rank] as number;
  }

  mean(): number {
    if (this.count === 0) return Number.NaN;
    let sum = 0;
    for (let index = 0; index < this.count; index++) sum += this.values[index] as number;
    return sum / this.count;
  }
}
