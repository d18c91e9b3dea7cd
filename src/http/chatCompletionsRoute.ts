import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest } from '../core/chatRequest.js';
import type { GatewayError } from '../core/gatewayError.js';
import type { StreamEvent } from '../core/streamEvent.js';
import type { Usage } from '../core/usage.js';
import type { Warning } from '../core/warning.js';
import type { AuthService } from '../auth/authenticatedKey.js';
import type { BudgetGuard, BudgetReservation } from '../limits/budgetGuard.js';
import type { Admission, RequestLimiter } from '../limits/requestLimiter.js';
import { maxRequestCost } from '../pricing/maxRequestCost.js';
import type { RoutePlan } from '../routing/router.js';
import type { ChatContext } from '../chat/chatContext.js';
import { ClientGoneError } from '../chat/chatContext.js';
import { abortReason, type ChatExecutor, type OpenedStream } from '../chat/chatExecutor.js';
import type { GatewayMetrics } from '../observability/gatewayMetrics.js';
import { computeCost } from '../pricing/computeCost.js';
import { ChunkEncoder } from '../protocol/openai/chunkEncoder.js';
import { renderChatCompletion } from '../protocol/openai/renderChatCompletion.js';
import { validateChatRequest } from '../protocol/openai/validateChatRequest.js';
import { estimatePromptTokens } from '../routing/estimatePromptTokens.js';
import { buildRoutingMetadata } from './buildRoutingMetadata.js';
import { callerProviderKeys } from './callerProviderKeys.js';
import { renderErrorEnvelope } from './errorEnvelope.js';
import type { RequestRecorder } from './requestRecorder.js';
import { createRequestSignal } from './requestSignal.js';
import { toGatewayError } from './toGatewayError.js';
import { waitForDrain } from './waitForDrain.js';

export interface ChatRouteDeps {
  auth: AuthService;
  limiter: RequestLimiter;
  budgets: BudgetGuard;
  providers: ReadonlyMap<string, unknown>;
  executor: ChatExecutor;
  metrics: GatewayMetrics;
  recorder: RequestRecorder;
  now: () => number;
  wallClock: () => number;
}

const CHARACTERS_PER_TOKEN = 4;
/** HTTP status recorded when the client left before the response was complete (nginx's convention). */
const CLIENT_CLOSED_STATUS = 499;

export function registerChatCompletionsRoute(app: FastifyInstance, deps: ChatRouteDeps): void {
  const providerIds = new Set(deps.providers.keys());
  app.post('/v1/chat/completions', async (request, reply) => {
    const state = request.state;
    state.chat = true;
    // Cached answers come back synchronously; awaiting only real promises saves microtask hops per request.
    const authenticated = deps.auth.authenticate(request.headers.authorization, deps.wallClock());
    const key = authenticated instanceof Promise ? await authenticated : authenticated;
    state.keyId = key.keyId;
    const validated = validateChatRequest(request.body);
    const warnings = validated.warnings;
    let chat = validated.request;
    state.stream = chat.stream;
    state.requestedModel = chat.gateway.models.join(',');
    state.metadata = chat.gateway.metadata;

    const requestSignal = createRequestSignal(reply.raw, chat.gateway.routing.deadline_ms);
    const context: ChatContext = { signal: requestSignal.signal, attempts: [], callerKeys: callerProviderKeys(request.headers, providerIds), keyId: key.keyId };
    let admission: Admission | undefined;
    let reservation: BudgetReservation | undefined;
    try {
      const restored = deps.executor.restoreReasoning(chat, context);
      if (restored !== chat) chat = restored instanceof Promise ? await restored : restored;
      const plan = deps.executor.plan(chat, context);
      const admitted = deps.limiter.admit(key, plan.promptTokens, deps.wallClock());
      admission = admitted instanceof Promise ? await admitted : admitted;
      reply.headers(admission.headers);
      // The most this request can cost is set aside before any upstream call, so concurrent requests cannot overspend.
      const offers = plan.candidates.map((candidate) => candidate.offer);
      const reserved = deps.budgets.reserve(key, maxRequestCost(chat, offers, plan.promptTokens), deps.wallClock());
      reservation = reserved instanceof Promise ? await reserved : reserved;
      reply.headers(reservation.headers);
      if (chat.stream) await serveStream(request, reply, chat, plan, warnings, context, deps);
      else return await serveCompletion(request, reply, chat, plan, warnings, context, deps);
    } catch (error) {
      if (!(error instanceof ClientGoneError)) throw error;
      // The client left before any byte was sent: not a gateway fault; record it (499) as a gone stream is.
      reply.hijack();
      reply.raw.destroy();
      state.attempts = context.attempts.length;
      deps.recorder.finish(state, { requestId: request.id, method: request.method, url: request.url, status: CLIENT_CLOSED_STATUS });
    } finally {
      state.attempts = context.attempts.length;
      requestSignal.dispose();
      reservation?.settle(state.costMicros);
      admission?.release(state.usage?.totalTokens ?? 0);
    }
  });
}

async function serveCompletion(
  request: FastifyRequest,
  reply: FastifyReply,
  chat: ChatRequest,
  plan: RoutePlan,
  warnings: Warning[],
  context: ChatContext,
  deps: ChatRouteDeps,
): Promise<string> {
  const completion = await deps.executor.complete(chat, plan, context);
  const finishedAt = deps.now();
  const usage = completion.result.usage ?? estimateUsage(chat, completionCharacters(completion.result.choices.map((choice) => choice.message.content ?? '')));
  const cost = computeCost(usage, completion.offer.price);
  const metadata = buildRoutingMetadata({
    served: completion,
    requestWarnings: warnings,
    attempts: context.attempts,
    usage,
    cost,
    ttftMs: undefined,
    generationSeconds: (finishedAt - completion.upstreamStartedAt) / 1000,
    totalLatencyMs: finishedAt - request.state.startedAt,
  });
  recordServed(request, completion.offer, usage, cost.micros);
  deps.metrics.observeUpstreamLatency(completion.offer.providerId, (finishedAt - completion.upstreamStartedAt) / 1000);
  deps.executor.recordOutcome(completion, {
    latencyMs: finishedAt - completion.upstreamStartedAt,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
  });
  reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(renderChatCompletion(completion.result, metadata, chat.legacyFunctions));
}

async function serveStream(
  request: FastifyRequest,
  reply: FastifyReply,
  chat: ChatRequest,
  plan: RoutePlan,
  warnings: Warning[],
  context: ChatContext,
  deps: ChatRouteDeps,
): Promise<void> {
  // Headers wait for the first upstream event: any failure before it is an ordinary JSON error with fallback.
  const opened = await deps.executor.openStream(chat, plan, context);
  const raw = reply.raw;
  reply.hijack();
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
  for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string') headers[name] = value;
  raw.writeHead(200, headers);
  deps.metrics.inflightStreams.inc();

  const progress = new StreamProgress(new ChunkEncoder({ legacyFunctions: chat.legacyFunctions }), deps.now);
  let clientGone = false;
  try {
    let events: StreamEvent[] | null = opened.firstEvents;
    while (events !== null) {
      const text = progress.consume(events);
      if (text !== '' && !raw.write(text)) await waitForDrain(raw);
      if (progress.error !== undefined) break;
      if (context.signal.aborted || raw.destroyed) break;
      events = await opened.stream.next();
    }
  } catch (error) {
    progress.error = toGatewayError(error);
  }
  if (context.signal.aborted) {
    const reason = abortReason(context.signal);
    if (reason instanceof ClientGoneError) clientGone = true;
    else progress.error = toGatewayError(reason);
  } else if (raw.destroyed) {
    clientGone = true;
  }
  const failure: GatewayError | undefined = progress.error?.withProvider(opened.offer.providerId);
  opened.stream.cancel();
  deps.metrics.inflightStreams.dec();

  const endedAt = deps.now();
  const usage = progress.usage ?? estimateUsage(chat, progress.characters);
  const cost = computeCost(usage, opened.offer.price);
  const state = request.state;
  recordServed(request, opened.offer, usage, cost.micros);
  if (progress.firstTokenAt !== undefined) {
    state.ttftMs = Math.round(progress.firstTokenAt - state.startedAt);
    deps.metrics.observeUpstreamTtft(opened.offer.providerId, (progress.firstTokenAt - opened.upstreamStartedAt) / 1000);
  }
  deps.metrics.observeUpstreamLatency(opened.offer.providerId, (endedAt - opened.upstreamStartedAt) / 1000);
  if (!clientGone) {
    const generation = generationSeconds(progress, opened, endedAt);
    deps.executor.recordOutcome(opened, {
      error: failure,
      ttftMs: progress.firstTokenAt === undefined ? undefined : progress.firstTokenAt - opened.upstreamStartedAt,
      tps: progress.usage !== undefined && progress.firstTokenAt !== undefined && generation > 0 ? usage.completionTokens / generation : undefined,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    });
  }

  let status = 200;
  if (clientGone) {
    status = CLIENT_CLOSED_STATUS;
    raw.destroy();
  } else if (failure !== undefined) {
    state.errorCode = failure.code;
    raw.end(`data: ${JSON.stringify(renderErrorEnvelope(failure))}\n\n`);
  } else {
    const metadata = buildRoutingMetadata({
      served: opened,
      requestWarnings: warnings,
      attempts: context.attempts,
      usage,
      cost,
      ttftMs: state.ttftMs ?? undefined,
      generationSeconds: generationSeconds(progress, opened, endedAt),
      totalLatencyMs: endedAt - state.startedAt,
    });
    raw.end(progress.encoder.finish(usage, metadata));
  }
  state.attempts = context.attempts.length;
  deps.recorder.finish(state, { requestId: request.id, method: request.method, url: request.url, status });
}

/** Tracks what a stream has delivered: usage, first token, characters (for a usage estimate), a failure. */
class StreamProgress {
  usage: Usage | undefined;
  firstTokenAt: number | undefined;
  characters = 0;
  error: GatewayError | undefined;

  constructor(readonly encoder: ChunkEncoder, private readonly now: () => number) {}

  consume(events: StreamEvent[]): string {
    let text = '';
    for (const event of events) {
      switch (event.type) {
        case 'usage':
          this.usage = event.usage;
          continue;
        case 'error':
          this.error = event.error;
          return text;
        case 'text-delta':
        case 'reasoning-delta':
        case 'refusal-delta':
          this.characters += event.text.length;
          this.firstTokenAt ??= this.now();
          break;
        case 'tool-call-start':
        case 'finish':
          this.firstTokenAt ??= this.now();
          break;
        case 'tool-call-delta':
          this.characters += event.arguments.length;
          break;
        default:
          break;
      }
      text += this.encoder.encode(event);
    }
    return text;
  }
}

function generationSeconds(progress: StreamProgress, opened: OpenedStream, endedAt: number): number {
  const from = progress.firstTokenAt ?? opened.upstreamStartedAt;
  const seconds = (endedAt - from) / 1000;
  return seconds > 0 ? seconds : (endedAt - opened.upstreamStartedAt) / 1000;
}

function recordServed(request: FastifyRequest, offer: OpenedStream['offer'], usage: Usage, costMicros: number): void {
  const state = request.state;
  state.modelCanonical = offer.modelId;
  state.provider = offer.providerId;
  state.providerModel = offer.upstreamModel;
  state.usage = usage;
  state.costMicros = costMicros;
}

/** Used only when an upstream sent no usage at all: a character-based estimate, so the request is never free by accident. */
function estimateUsage(chat: ChatRequest, completionChars: number): Usage {
  const promptTokens = estimatePromptTokens(chat);
  const completionTokens = Math.ceil(completionChars / CHARACTERS_PER_TOKEN);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

function completionCharacters(contents: string[]): number {
  return contents.reduce((sum, content) => sum + content.length, 0);
}
