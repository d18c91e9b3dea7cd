import type { Metric, Registry } from 'prom-client';
import { LabelCache } from './labelCache.js';

/** One exported sample, in the shape prom-client's registry formats. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
  /** Always null here (no exemplars); present on buckets because prom-client's JSON has it there. */
  exemplar?: null;
}

interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/**
 * Counters and histograms for the request path. prom-client turns the label values into a hash key on every
 * `inc`/`observe`, even through a child from `labels()`; here a child is a plain cell found once per label
 * combination, an update is an addition, and labels become objects only when scraped. The registry formats them as
 * it formats its own metrics (same text, same order), and they sit beside prom-client's in one exposition.
 */
abstract class LabelledMetric<Cell> {
  /** Every label combination seen, in first-use order (the order prom-client exports in). */
  private readonly entries: { labels: Record<string, string>; cell: Cell }[] = [];
  private readonly cells = new LabelCache((...values: string[]) => {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((labelName, index) => (labels[labelName] = values[index] ?? ''));
    const entry = { labels, cell: this.newCell() };
    this.entries.push(entry);
    return entry.cell;
  });

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The registry needs only name, type, get() and reset(), which this class provides; prom-client's type asks for its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The cell of one label combination (values in `labelNames` order), created at first use. */
  protected cellFor(values: string[]): Cell {
    return this.cells.get(...values);
  }

  protected abstract newCell(): Cell;
  protected abstract samples(labels: Record<string, string>, cell: Cell): Sample[];
  abstract readonly type: 'counter' | 'histogram';

  /** What the registry formats (it prefers this name when a metric has it). */
  getForPromString(): Promise<MetricData> {
    const values: Sample[] = [];
    for (const { labels, cell } of this.entries) values.push(...this.samples(labels, cell));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' });
  }

  /** The JSON form (`getMetricsAsJSON`): shared labels folded into each sample's labels, as prom-client does. */
  async get(): Promise<MetricData> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...sample }) => ({ ...sample, labels: { ...labels, ...sharedLabels } }));
    return data;
  }

  /** Zeroes every cell in place: callers keep the cells they hold. */
  reset(): void {
    for (const { cell } of this.entries) this.zero(cell);
  }

  protected abstract zero(cell: Cell): void;
}

export interface CounterCell {
  value: number;
}

export class LabelledCounter extends LabelledMetric<CounterCell> {
  readonly type = 'counter';

  /** The cell to add to (`cell.value += n`); keep it: finding it is the only cost beyond the addition. */
  cell(...values: string[]): CounterCell {
    return this.cellFor(values);
  }

  protected newCell(): CounterCell {
    return { value: 0 };
  }

  protected zero(cell: CounterCell): void {
    cell.value = 0;
  }

  protected samples(labels: Record<string, string>, cell: CounterCell): Sample[] {
    return [{ value: cell.value, labels }];
  }
}

export interface HistogramCell {
  /** Observations per bucket (not cumulative); the last one is above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

export class LabelledHistogram extends LabelledMetric<HistogramCell> {
  readonly type = 'histogram';

  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }

  cell(...values: string[]): HistogramCell {
    return this.cellFor(values);
  }

  observe(cell: HistogramCell, value: number): void {
    // A NaN or infinite duration would poison the sum; prom-client refuses them too.
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    cell.counts[bucket] = (cell.counts[bucket] as number) + 1;
    cell.sum += value;
    cell.count += 1;
  }

  protected newCell(): HistogramCell {
    return { counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
  }

  protected zero(cell: HistogramCell): void {
    cell.counts.fill(0);
    cell.sum = 0;
    cell.count = 0;
  }

  protected samples(labels: Record<string, string>, cell: HistogramCell): Sample[] {
    const bucketName = `${this.name}_bucket`;
    const samples: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, index) => {
      cumulative += cell.counts[index] as number;
      samples.push({ value: cumulative, labels: { le: bound }, sharedLabels: labels, metricName: bucketName, exemplar: null });
    });
    samples.push(
      { value: cell.count, labels: { le: '+Inf' }, sharedLabels: labels, metricName: bucketName, exemplar: null },
      { value: cell.sum, labels: {}, sharedLabels: labels, metricName: `${this.name}_sum` },
      { value: cell.count, labels: {}, sharedLabels: labels, metricName: `${this.name}_count` },
    );
    return samples;
  }
}
