import type { CancelSignal, SignalLike } from '../core/cancelSignal.js';
import type { ChatRequest } from '../core/chatRequest.js';
import type { ChatResult } from '../core/chatResult.js';
import { GatewayError, isGatewayError } from '../core/gatewayError.js';
import type { StreamEvent } from '../core/streamEvent.js';
import type { Warning } from '../core/warning.js';
import type { GatewayMetrics } from '../observability/gatewayMetrics.js';
import type { ProviderAdapter, UpstreamRequest, UpstreamTarget } from '../providers/adapter.js';
import { malformedUpstream } from '../providers/classifyUpstreamError.js';
import type { AdapterRegistry } from '../providers/registry.js';
import type { ModelCatalog } from '../routing/modelCatalog.js';
import type { Offer } from '../routing/offer.js';
import type { OfferHealth } from '../routing/offerHealth.js';
import type { OfferStats } from '../routing/offerStats.js';
import type { ProviderRuntime } from '../routing/providerRuntime.js';
import type { RoutePlan, Router } from '../routing/router.js';
import { toUpstreamError } from '../upstream/toUpstreamError.js';
import type { UpstreamResponse, UpstreamTransport } from '../upstream/upstreamTransport.js';
import { applyParameterSupport } from './applyParameterSupport.js';
import { ClientGoneError, type ChatContext } from './chatContext.js';
import type { ReasoningMemory } from './reasoning/reasoningMemory.js';
import { rememberReasoning } from './reasoning/rememberReasoning.js';
import { restoreReasoning } from './reasoning/restoreReasoning.js';
import { watchReasoning } from './reasoning/watchReasoning.js';
import { resolveModels } from './resolveModels.js';
import { UpstreamEventStream } from './upstreamEventStream.js';

export interface ChatExecutorDeps {
  catalog: ModelCatalog;
  providers: ReadonlyMap<string, ProviderRuntime>;
  adapters: AdapterRegistry;
  transport: UpstreamTransport;
  router: Router;
  health: OfferHealth;
  stats: OfferStats;
  metrics: GatewayMetrics;
  /** Reasoning emitted with tool calls, put back when a client echoes the calls without it. */
  reasoning: ReasoningMemory;
  /** Monotonic milliseconds, for durations. */
  now: () => number;
  /** Wall-clock milliseconds, for health time-outs that may be shared. */
  wallClock: () => number;
}

/** Who served a request and what the gateway changed on the way. */
export interface Served {
  offer: Offer;
  strategy: string;
  warnings: Warning[];
  /** When the successful attempt was sent (monotonic ms). */
  upstreamStartedAt: number;
  plan: RoutePlan;
}

/** How a served answer went, for the breaker, live measurements and cache affinity. */
export interface AnswerOutcome {
  error?: GatewayError | undefined;
  /** Streams: first token, measured from the upstream request. */
  ttftMs?: number | undefined;
  /** Streams: output tokens per second after the first token. */
  tps?: number | undefined;
  /** Non-streamed answers: the whole upstream time. */
  latencyMs?: number | undefined;
  promptTokens: number;
  completionTokens: number;
}

export interface Completion extends Served {
  result: ChatResult;
}

export interface OpenedStream extends Served {
  stream: UpstreamEventStream;
  /** Events decoded before the stream was handed over (at least one). */
  firstEvents: StreamEvent[];
}

interface Attempt {
  request: ChatRequest;
  provider: ProviderRuntime;
  adapter: ProviderAdapter;
  built: UpstreamRequest;
  signal: CancelSignal;
}

const MAX_ERROR_BODY_CHARACTERS = 64 * 1024;

/** Runs a chat request against the routed offers, falling back on failures that happen before any byte reached the client. */
export class ChatExecutor {
  constructor(private readonly deps: ChatExecutorDeps) {}

  /**
   * Puts back reasoning the client dropped from echoed tool-call turns (see restoreReasoning); before planning, so
   * that the prompt estimate behind routing, rate limits and the budget reservation counts it.
   */
  restoreReasoning(request: ChatRequest, context: ChatContext): ChatRequest | Promise<ChatRequest> {
    return restoreReasoning(request, this.deps.reasoning, context.keyId ?? '');
  }

  /** Resolves the request's models and plans which offers to try (throws the contract's routing errors). */
  plan(request: ChatRequest, context: ChatContext): RoutePlan {
    const models = resolveModels(request, this.deps.catalog);
    return this.deps.router.plan(request, models, { now: this.deps.wallClock(), callerKeys: context.callerKeys });
  }

  complete(request: ChatRequest, plan: RoutePlan, context: ChatContext): Promise<Completion> {
    return this.run(request, plan, context, async (attempt) => {
      const response = await this.send(attempt);
      const text = await response.body.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw malformedUpstream('the body is not JSON');
      }
      const result = attempt.adapter.parseResponse(body, request);
      rememberReasoning(result, this.deps.reasoning, context.keyId ?? '');
      return { result };
    });
  }

  openStream(request: ChatRequest, plan: RoutePlan, context: ChatContext): Promise<OpenedStream> {
    return this.run(request, plan, context, async (attempt) => {
      const response = await this.send(attempt);
      const decoder = watchReasoning(attempt.adapter.createStreamDecoder(request), request, this.deps.reasoning, context.keyId ?? '');
      const stream = new UpstreamEventStream(response.body, decoder);
      // Wait for the first upstream event: until then a failure can still fall back.
      for (;;) {
        const events = await stream.next();
        if (events === null) throw malformedUpstream('the stream ended before any event');
        if (events.length === 0) continue;
        const failure = events.find((event) => event.type === 'error');
        if (failure !== undefined && failure.type === 'error') {
          stream.cancel();
          throw failure.error;
        }
        return { stream, firstEvents: events };
      }
    });
  }

  /** Records how an answer went, once it is complete: breaker, live measurements, cache affinity. */
  recordOutcome(served: Served, outcome: AnswerOutcome): void {
    const now = this.deps.wallClock();
    const { offer } = served;
    if (outcome.error === undefined) {
      this.deps.health.recordSuccess(offer.key, now);
      let ttftMs = outcome.ttftMs;
      if (ttftMs === undefined && outcome.latencyMs !== undefined) {
        // A non-streamed answer shows no first token: estimate it as latency minus generation at the offer's known speed.
        const tps = this.deps.stats.snapshot(offer.key, now).tpsP50 ?? offer.expect.tps;
        if (tps !== undefined && tps > 0) ttftMs = Math.max(0, outcome.latencyMs - (outcome.completionTokens / tps) * 1000);
      }
      this.deps.stats.record(offer.key, { success: true, ttftMs, tps: outcome.tps }, now);
      this.deps.router.served(served.plan, offer, outcome.promptTokens, now);
    } else {
      this.deps.health.recordFailure(offer.key, outcome.error, now);
      if (outcome.error.fallback || outcome.error.retryable) this.deps.stats.record(offer.key, { success: false }, now);
    }
  }

  private async run<T extends object>(request: ChatRequest, plan: RoutePlan, context: ChatContext, once: (attempt: Attempt) => Promise<T>): Promise<T & Served> {
    const { deps } = this;
    const routing = request.gateway.routing;
    const maxAttempts = routing.allow_fallbacks === false ? 1 : 1 + (routing.max_fallback_attempts ?? 2);
    let lastError: GatewayError | undefined;
    let firstModelAllowed = 0;

    for (const candidate of plan.candidates) {
      if (context.attempts.length >= maxAttempts) break;
      if (candidate.modelIndex < firstModelAllowed) continue;
      const { offer } = candidate;
      const provider = deps.providers.get(offer.providerId);
      const adapter = provider === undefined ? undefined : deps.adapters.forProvider(provider);
      if (provider === undefined || adapter === undefined) continue;
      const upstreamStartedAt = deps.now();
      const callerKey = context.callerKeys.get(provider.id);
      deps.health.onAttempt(offer.key, deps.wallClock());
      const supported = applyParameterSupport(request, offer);
      // Translation happens before any I/O: its errors are the request's (or a gateway bug), never the provider's.
      const built = buildUpstreamRequest(adapter, supported.request, {
        providerId: provider.id,
        baseUrl: provider.baseUrl,
        apiKey: callerKey ?? provider.apiKey,
        headers: provider.headers,
        upstreamModel: offer.upstreamModel,
        capabilities: offer.capabilities,
        maxOutputTokens: offer.maxOutputTokens,
      });
      try {
        const value = await once({ request: supported.request, provider, adapter, built, signal: context.signal });
        context.attempts.push({ offer, status: 200 });
        deps.metrics.countAttempt(provider.id, 'ok');
        const warnings = [...plan.warnings, ...supported.warnings, ...built.warnings];
        return { ...value, offer, strategy: plan.strategy, warnings, upstreamStartedAt, plan };
      } catch (caught) {
        if (context.signal.aborted) throw abortReason(context.signal);
        let failure = toUpstreamError(caught).withProvider(provider.id);
        // The caller's own key was refused: say so, and do not quietly spend the gateway's keys elsewhere.
        if (callerKey !== undefined && (failure.code === 'upstream_error' && /credentials/.test(failure.message))) {
          failure = new GatewayError(401, 'provider_auth_error', `${provider.id} refused the key sent in X-Provider-Key-${provider.id}.`, { provider: provider.id });
        }
        context.attempts.push({ offer, status: failure.status, error: failure });
        deps.metrics.countAttempt(provider.id, failure.code);
        deps.health.recordFailure(offer.key, failure, deps.wallClock());
        if (failure.fallback || failure.retryable) deps.stats.record(offer.key, { success: false }, deps.wallClock());
        lastError = failure;
        if (failure.nextModel && request.gateway.mode === 'fallback') {
          firstModelAllowed = candidate.modelIndex + 1;
          continue;
        }
        if (!failure.fallback) throw failure;
      }
    }
    throw lastError ?? new GatewayError(503, 'no_provider_available', 'No provider is available for the requested model.', { retryable: true, retryAfterSeconds: 1 });
  }

  private async send(attempt: Attempt): Promise<UpstreamResponse> {
    const response = await this.deps.transport.send({
      request: attempt.built,
      timeouts: attempt.provider.timeouts,
      maxConnections: attempt.provider.maxConnections,
      signal: attempt.signal,
    });
    if (response.status >= 200 && response.status < 300) return response;
    const text = await readErrorBody(response);
    throw attempt.adapter.parseError(response.status, text, response.headers);
  }
}

function buildUpstreamRequest(adapter: ProviderAdapter, request: ChatRequest, target: UpstreamTarget): UpstreamRequest {
  try {
    return adapter.buildRequest(request, target);
  } catch (error) {
    if (isGatewayError(error)) throw error.withProvider(target.providerId);
    throw new GatewayError(500, 'internal_error', `The gateway could not translate the request for ${target.providerId}.`, { cause: error });
  }
}

async function readErrorBody(response: UpstreamResponse): Promise<string> {
  try {
    const text = await response.body.text();
    return text.length > MAX_ERROR_BODY_CHARACTERS ? text.slice(0, MAX_ERROR_BODY_CHARACTERS) : text;
  } catch {
    return '';
  }
}

/** The error to report when the request's signal fired: the deadline's GatewayError, or the client's departure. */
export function abortReason(signal: SignalLike): Error {
  const reason: unknown = signal.reason;
  if (isGatewayError(reason)) return reason;
  return new ClientGoneError();
}
