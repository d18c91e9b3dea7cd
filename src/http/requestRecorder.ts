import type { Logger } from 'pino';
import type { UsageRecord, UsageSink } from '../ledger/usageRecord.js';
import type { GatewayMetrics } from '../observability/gatewayMetrics.js';
import type { RequestState } from './requestState.js';

/** Writes the one log line per request, updates metrics, and hands chat requests to the usage sinks. */
export class RequestRecorder {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
    private readonly sinks: readonly UsageSink[],
    private readonly now: () => number,
    private readonly wallClock: () => number,
  ) {}

  finish(state: RequestState, details: { requestId: string; method: string; url: string; status: number }): void {
    if (state.done) return;
    state.done = true;
    const latencyMs = Math.round((this.now() - state.startedAt) * 10) / 10;
    if (state.errorCode !== null) this.metrics.countError(state.errorCode);
    const line: Record<string, unknown> = {
      requestId: details.requestId,
      method: details.method,
      url: details.url,
      status: details.status,
      latencyMs,
    };
    if (state.chat) {
      const usage = state.usage;
      Object.assign(line, {
        keyId: state.keyId,
        model: state.modelCanonical ?? state.requestedModel,
        provider: state.provider,
        stream: state.stream,
        costUsd: state.costMicros / 1_000_000,
        promptTokens: usage?.promptTokens ?? 0,
        completionTokens: usage?.completionTokens ?? 0,
        attempts: state.attempts,
      });
      if (state.ttftMs !== null) line.ttftMs = state.ttftMs;
      if (state.errorCode !== null) line.code = state.errorCode;
      this.metrics.countRequest(state.modelCanonical ?? 'unknown', state.provider ?? 'none', details.status, state.stream);
      if (state.costMicros > 0 && state.modelCanonical !== null && state.provider !== null) {
        this.metrics.addCost(state.modelCanonical, state.provider, state.costMicros);
      }
      if (this.sinks.length > 0) {
        const record = this.toUsageRecord(state, details, latencyMs);
        for (const sink of this.sinks) sink.record(record);
      }
    } else if (state.errorCode !== null) {
      line.code = state.errorCode;
    }
    this.logger.info(line, 'request');
  }

  private toUsageRecord(state: RequestState, details: { requestId: string; status: number }, latencyMs: number): UsageRecord {
    const usage = state.usage;
    return {
      time: new Date(this.wallClock()).toISOString(),
      requestId: details.requestId,
      keyId: state.keyId,
      modelCanonical: state.modelCanonical,
      provider: state.provider,
      providerModel: state.providerModel,
      status: details.status,
      errorCode: state.errorCode,
      promptTokens: usage?.promptTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      reasoningTokens: usage?.reasoningTokens ?? 0,
      costMicros: state.costMicros,
      ttftMs: state.ttftMs,
      totalLatencyMs: Math.round(latencyMs),
      attempts: state.attempts,
      stream: state.stream,
      metadata: state.metadata,
    };
  }
}
