import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledCounter, LabelledHistogram } from './labelledMetrics.js';

const BOUNDS = [0.01, 0.1, 1, 10];

/** The same updates through prom-client's own classes and through ours, each in a registry of its own. */
function both() {
  const reference = new Registry();
  const ours = new Registry();
  const referenceCounter = new Counter({ name: 'sy_requests_total', help: 'Requests "by" model\\provider.', labelNames: ['model', 'provider'], registers: [reference] });
  const referenceHistogram = new Histogram({ name: 'sy_latency_seconds', help: 'Latency.', labelNames: ['provider'], buckets: BOUNDS, registers: [reference] });
  const counter = new LabelledCounter('sy_requests_total', 'Requests "by" model\\provider.', ['model', 'provider'], ours);
  const histogram = new LabelledHistogram('sy_latency_seconds', 'Latency.', ['provider'], BOUNDS, ours);
  return {
    reference,
    ours,
    inc(model: string, provider: string, amount = 1) {
      referenceCounter.labels(model, provider).inc(amount);
      counter.cell(model, provider).value += amount;
    },
    observe(provider: string, seconds: number) {
      referenceHistogram.labels(provider).observe(seconds);
      histogram.observe(histogram.cell(provider), seconds);
    },
    counter,
    histogram,
  };
}

describe('LabelledCounter and LabelledHistogram', () => {
  it('expose exactly the text prom-client writes for the same updates: order, escaping, buckets, sums', async () => {
    const metrics = both();
    metrics.inc('gpt-x', 'openai');
    metrics.inc('claude "q"\\n', 'anthropic', 2.5);
    metrics.inc('gpt-x', 'openai', 40);
    metrics.inc('line\nbreak', 'z');
    for (const seconds of [0.005, 0.01, 0.0100001, 0.3, 1, 7, 10, 11, 1e6, 0]) metrics.observe('openai', seconds);
    metrics.observe('anthropic', 0.25);
    metrics.observe('anthropic', 0.1 + 0.2);
    expect(await metrics.ours.metrics()).toBe(await metrics.reference.metrics());
    expect(await metrics.ours.getMetricsAsJSON()).toEqual(await metrics.reference.getMetricsAsJSON());
  });

  it('writes only the HELP and TYPE lines before any update, as prom-client does', async () => {
    const metrics = both();
    expect(await metrics.ours.metrics()).toBe(await metrics.reference.metrics());
  });

  it('ignores a duration that is not a finite number instead of poisoning the sum', async () => {
    const { histogram, ours } = both();
    const cell = histogram.cell('p');
    histogram.observe(cell, Number.NaN);
    histogram.observe(cell, Number.POSITIVE_INFINITY);
    histogram.observe(cell, 0.5);
    expect(cell).toEqual({ counts: [0, 0, 1, 0, 0], sum: 0.5, count: 1 });
    expect(await ours.metrics()).toContain('sy_latency_seconds_count{provider="p"} 1');
  });

  it('reset() zeroes the cells their holders keep adding to', async () => {
    const { counter, histogram, ours } = both();
    const cell = counter.cell('m', 'p');
    cell.value += 3;
    histogram.observe(histogram.cell('p'), 2);
    ours.resetMetrics();
    cell.value += 1;
    const text = await ours.metrics();
    expect(text).toContain('sy_requests_total{model="m",provider="p"} 1');
    expect(text).toContain('sy_latency_seconds_count{provider="p"} 0');
  });
});
