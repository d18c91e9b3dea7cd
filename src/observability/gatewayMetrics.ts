import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelCache } from './labelCache.js';

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

/** Prometheus metrics of one gateway instance (own registry, so tests can build several apps). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'switchyard_requests_total',
    help: 'Chat-completion requests by canonical model, provider, HTTP status and stream flag.',
    labelNames: ['model', 'provider', 'status', 'stream'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'switchyard_errors_total',
    help: 'Error responses (and mid-stream errors) by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly upstreamAttempts = new Counter({
    name: 'switchyard_upstream_attempts_total',
    help: 'Upstream attempts by provider and outcome (ok, or the error code).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: 'switchyard_upstream_latency_seconds',
    help: 'Time from sending a request upstream to its last byte, per provider.',
    labelNames: ['provider'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly upstreamTtft = new Histogram({
    name: 'switchyard_upstream_ttft_seconds',
    help: 'Time from sending a streamed request upstream to its first token, per provider.',
    labelNames: ['provider'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly inflightStreams = new Gauge({
    name: 'switchyard_inflight_streams',
    help: 'Streams currently open to clients.',
    registers: [this.registry],
  });
  readonly costMicros = new Counter({
    name: 'switchyard_cost_microusd_total',
    help: 'Cost of served requests in micro-USD, by canonical model and provider.',
    labelNames: ['model', 'provider'] as const,
    registers: [this.registry],
  });

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

  private readonly requestChildren = new LabelCache((model, provider, status, stream) => this.requests.labels(model as string, provider as string, status as string, stream as string));
  private readonly errorChildren = new LabelCache((code) => this.errors.labels(code as string));
  private readonly attemptChildren = new LabelCache((provider, outcome) => this.upstreamAttempts.labels(provider as string, outcome as string));
  private readonly latencyChildren = new LabelCache((provider) => this.upstreamLatency.labels(provider as string));
  private readonly ttftChildren = new LabelCache((provider) => this.upstreamTtft.labels(provider as string));
  private readonly costChildren = new LabelCache((model, provider) => this.costMicros.labels(model as string, provider as string));

  constructor(options: { processMetrics: boolean } = { processMetrics: true }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }

  countRequest(model: string, provider: string, status: number, stream: boolean): void {
    this.requestChildren.get(model, provider, String(status), stream ? 'true' : 'false').inc();
  }

  countError(code: string): void {
    this.errorChildren.get(code).inc();
  }

  countAttempt(provider: string, outcome: string): void {
    this.attemptChildren.get(provider, outcome).inc();
  }

  observeUpstreamLatency(provider: string, seconds: number): void {
    this.latencyChildren.get(provider).observe(seconds);
  }

  observeUpstreamTtft(provider: string, seconds: number): void {
    this.ttftChildren.get(provider).observe(seconds);
  }

  addCost(model: string, provider: string, micros: number): void {
    this.costChildren.get(model, provider).inc(micros);
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
