import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelledCounter, LabelledHistogram } from './labelledMetrics.js';

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

/** Prometheus metrics of one gateway instance (own registry, so tests can build several apps). */
export class GatewayMetrics {
  readonly registry = new Registry();
  // Updated on every request: cells of our own (see labelledMetrics.ts), formatted by the registry like the rest.
  private readonly requests = new LabelledCounter(
    'switchyard_requests_total',
    'Chat-completion requests by canonical model, provider, HTTP status and stream flag.',
    ['model', 'provider', 'status', 'stream'],
    this.registry,
  );
  private readonly errors = new LabelledCounter('switchyard_errors_total', 'Error responses (and mid-stream errors) by error code.', ['code'], this.registry);
  private readonly upstreamAttempts = new LabelledCounter(
    'switchyard_upstream_attempts_total',
    'Upstream attempts by provider and outcome (ok, or the error code).',
    ['provider', 'outcome'],
    this.registry,
  );
  private readonly upstreamLatency = new LabelledHistogram(
    'switchyard_upstream_latency_seconds',
    'Time from sending a request upstream to its last byte, per provider.',
    ['provider'],
    LATENCY_BUCKETS,
    this.registry,
  );
  private readonly upstreamTtft = new LabelledHistogram(
    'switchyard_upstream_ttft_seconds',
    'Time from sending a streamed request upstream to its first token, per provider.',
    ['provider'],
    LATENCY_BUCKETS,
    this.registry,
  );
  readonly inflightStreams = new Gauge({
    name: 'switchyard_inflight_streams',
    help: 'Streams currently open to clients.',
    registers: [this.registry],
  });
  private readonly costMicros = new LabelledCounter(
    'switchyard_cost_microusd_total',
    'Cost of served requests in micro-USD, by canonical model and provider.',
    ['model', 'provider'],
    this.registry,
  );

  /** Read from the usage ledger when scraped (see watchLedger). */
  private ledgerStats: (() => LedgerCounts & { queued: number }) | undefined;
  private readonly ledgerReported: LedgerCounts = { written: 0, spilled: 0, replayed: 0, dropped: 0 };
  readonly ledgerRecords = new Counter({
    name: 'switchyard_ledger_records_total',
    help: 'Usage records by what the ledger did with them: written to the store, spilled (the store refused them), replayed from the spill file, dropped.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    collect: () => this.collectLedger(),
  });
  readonly ledgerQueued = new Gauge({
    name: 'switchyard_ledger_queued_records',
    help: 'Usage records waiting to be written (queued or being written).',
    registers: [this.registry],
    collect: () => {
      if (this.ledgerStats !== undefined) this.ledgerQueued.set(this.ledgerStats().queued);
    },
  });

  readonly limitsRedisFailures = new Counter({
    name: 'switchyard_limits_redis_failures_total',
    help: 'Redis calls of the rate limiter and budget guard that failed, by operation (admit, renew, reserve, settle).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly limitsRedisSyncs = new Counter({
    name: 'switchyard_limits_redis_syncs_total',
    help: 'Script calls that sync this instance\'s slices of rate limits or budgets with Redis, by counter (limits, budgets).',
    labelNames: ['counter'] as const,
    registers: [this.registry],
  });


  constructor(options: { processMetrics: boolean } = { processMetrics: true }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }

  countRequest(model: string, provider: string, status: number, stream: boolean): void {
    this.requests.cell(model, provider, String(status), stream ? 'true' : 'false').value++;
  }

  countError(code: string): void {
    this.errors.cell(code).value++;
  }

  countAttempt(provider: string, outcome: string): void {
    this.upstreamAttempts.cell(provider, outcome).value++;
  }

  observeUpstreamLatency(provider: string, seconds: number): void {
    this.upstreamLatency.observe(this.upstreamLatency.cell(provider), seconds);
  }

  observeUpstreamTtft(provider: string, seconds: number): void {
    this.upstreamTtft.observe(this.upstreamTtft.cell(provider), seconds);
  }

  addCost(model: string, provider: string, micros: number): void {
    // Costs are never negative; a NaN would make the series unreadable for good.
    if (micros > 0) this.costMicros.cell(model, provider).value += micros;
  }

  countLimitsRedisFailure(operation: string): void {
    this.limitsRedisFailures.labels(operation).inc();
  }

  countLimitsRedisSync(counter: 'limits' | 'budgets'): void {
    this.limitsRedisSyncs.labels(counter).inc();
  }

  /** Reports the usage ledger's counts on every scrape; nothing is added on the request path. */
  watchLedger(stats: () => LedgerCounts & { queued: number }): void {
    this.ledgerStats = stats;
    for (const outcome of LEDGER_OUTCOMES) this.ledgerRecords.labels(outcome).inc(0);
  }

  private collectLedger(): void {
    if (this.ledgerStats === undefined) return;
    const now = this.ledgerStats();
    for (const outcome of LEDGER_OUTCOMES) {
      const added = now[outcome] - this.ledgerReported[outcome];
      if (added > 0) this.ledgerRecords.labels(outcome).inc(added);
      this.ledgerReported[outcome] = now[outcome];
    }
  }
}

/** The ledger's running totals the metrics report. */
export interface LedgerCounts {
  written: number;
  spilled: number;
  replayed: number;
  dropped: number;
}

const LEDGER_OUTCOMES = ['written', 'spilled', 'replayed', 'dropped'] as const;
