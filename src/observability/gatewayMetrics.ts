import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  constructor(options: { processMetrics: boolean } = { processMetrics: true }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }
}
