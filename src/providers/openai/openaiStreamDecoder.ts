import { GatewayError } from '../../core/gatewayError.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage, StreamDecoder } from '../adapter.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { mapOpenAIFinishReason } from './mapOpenAIFinishReason.js';
import type { OpenAIResponseOptions } from './openaiProtocolProfile.js';
import { parseOpenAIStreamError } from './parseOpenAIError.js';
import { InlineReasoningSplitter } from './inlineReasoningSplitter.js';
import { isFailingWhenEmpty } from './parseOpenAIResponse.js';
import { parseOpenAIUsage } from './parseOpenAIUsage.js';
import { readContentChunks } from './readContentChunks.js';

interface ChoiceState {
  /** Upstream tool index → our tool index and id, so that calls are counted from 0 per choice. */
  tools: Map<number, { index: number; id: string }>;
  nextToolIndex: number;
  finished: boolean;
  /** Some text or tool call arrived, so a capacity cut-off still left a usable answer. */
  produced: boolean;
  /** Splits an inline `<think>` block off the content: undefined until the first content or reasoning field, null when not needed. */
  splitter: InlineReasoningSplitter | null | undefined;
}

/** Decodes OpenAI `chat.completion.chunk` events into stream events. */
export class OpenAIStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private failed = false;
  private sawFinish = false;
  private readonly choices = new Map<number, ChoiceState>();
  private readonly newId: (prefix: string) => string;
  private readonly now: () => number;

  constructor(
    effects: { newId: (prefix: string) => string; now: () => number },
    private readonly options: OpenAIResponseOptions = {},
  ) {
    this.newId = effects.newId;
    this.now = effects.now;
  }

  decode(message: SseMessage): StreamEvent[] {
    if (this.done || this.failed) return [];
    const data = message.data;
    if (data === '[DONE]') {
      this.done = true;
      return [];
    }
    let chunk: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      chunk = parsed as Record<string, unknown>;
    } catch {
      return this.fail(malformedUpstream('a stream chunk is not valid JSON'));
    }
    // Older servers (vLLM, Mistral) write errors flat: {"object":"error","message":...}.
    if (chunk.error !== undefined || chunk.object === 'error' || message.event === 'error') return this.fail(parseOpenAIStreamError(chunk));

    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      const start: StreamEvent = {
        type: 'response-start',
        id: typeof chunk.id === 'string' && chunk.id !== '' ? chunk.id : this.newId('chatcmpl-'),
        model: typeof chunk.model === 'string' ? chunk.model : '',
        created: typeof chunk.created === 'number' ? chunk.created : Math.floor(this.now() / 1000),
      };
      if (typeof chunk.system_fingerprint === 'string' || chunk.system_fingerprint === null) start.systemFingerprint = chunk.system_fingerprint;
      if (typeof chunk.service_tier === 'string') start.serviceTier = chunk.service_tier;
      events.push(start);
    }
    if (Array.isArray(chunk.choices)) {
      for (const raw of chunk.choices as unknown[]) {
        if (raw !== null && typeof raw === 'object') this.decodeChoice(raw as Record<string, unknown>, events);
      }
    }
    const usage = parseOpenAIUsage(chunk.usage) ?? parseOpenAIUsage((chunk.x_groq as Record<string, unknown> | undefined)?.usage);
    if (usage !== undefined) events.push({ type: 'usage', usage });
    return this.failed ? events.filter((event) => event.type === 'error' || event.type === 'response-start') : events;
  }

  end(): StreamEvent[] {
    if (this.failed) return [];
    if (!this.sawFinish) {
      this.failed = true;
      return [{ type: 'error', error: malformedUpstream('the stream ended before the response was complete') }];
    }
    // A choice that never sent its own finish_reason may still hold back a piece of content.
    const events: StreamEvent[] = [];
    for (const state of this.choices.values()) {
      if (!state.finished) state.splitter?.flush(events);
    }
    return events;
  }

  private decodeChoice(choice: Record<string, unknown>, events: StreamEvent[]): void {
    const index = typeof choice.index === 'number' ? choice.index : 0;
    let state = this.choices.get(index);
    if (state === undefined) {
      state = { tools: new Map(), nextToolIndex: 0, finished: false, produced: false, splitter: this.options.inlineReasoningTags === true ? undefined : null };
      this.choices.set(index, state);
    }
    const delta = choice.delta;
    if (delta !== null && typeof delta === 'object') {
      const fields = delta as Record<string, unknown>;
      const chunks = this.options.contentChunks === true && Array.isArray(fields.content) ? readContentChunks(fields.content) : undefined;
      const content = chunks === undefined ? fields.content : chunks.text;
      const reasoning = fields.reasoning_content ?? fields.reasoning ?? chunks?.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') {
        events.push({ type: 'reasoning-delta', choice: index, text: reasoning });
        // The host separates reasoning itself, so content is left as sent.
        if (state.splitter === undefined) state.splitter = null;
      }
      if (typeof content === 'string' && content !== '') {
        if (state.splitter === undefined) state.splitter = new InlineReasoningSplitter(index);
        if (state.splitter === null) {
          const event: StreamEvent = { type: 'text-delta', choice: index, text: content };
          const logprobs = this.logprobsOf(choice);
          if (logprobs !== undefined && logprobs !== null) event.logprobs = logprobs;
          events.push(event);
          state.produced = true;
        } else if (state.splitter.push(content, this.logprobsOf(choice), events)) state.produced = true;
      }
      if (typeof fields.refusal === 'string' && fields.refusal !== '') events.push({ type: 'refusal-delta', choice: index, text: fields.refusal });
      if (Array.isArray(fields.tool_calls)) this.decodeToolCalls(fields.tool_calls as unknown[], index, state, events);
      else if (fields.function_call !== null && typeof fields.function_call === 'object') {
        this.decodeToolCalls([{ index: 0, function: fields.function_call }], index, state, events);
      }
      if (state.tools.size > 0) state.produced = true;
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined && !state.finished) {
      if (state.splitter?.flush(events) === true) state.produced = true;
      const reason = mapOpenAIFinishReason(choice.finish_reason);
      if (reason === undefined) {
        this.failed = true;
        events.push({ type: 'error', error: malformedUpstream('the provider ended the response with an error') });
        return;
      }
      if (isFailingWhenEmpty(choice.finish_reason, this.options) && !state.produced) {
        // E.g. cut off for lack of server capacity before any answer: nothing usable, so another attempt may do better.
        this.failed = true;
        const message = `The provider stopped the response (${String(choice.finish_reason)}) before producing an answer.`;
        events.push({ type: 'error', error: new GatewayError(502, 'upstream_error', message, { retryable: true }) });
        return;
      }
      state.finished = true;
      this.sawFinish = true;
      events.push({ type: 'finish', choice: index, reason });
    }
  }

  private decodeToolCalls(calls: unknown[], choice: number, state: ChoiceState, events: StreamEvent[]): void {
    for (const raw of calls) {
      if (raw === null || typeof raw !== 'object') continue;
      const call = raw as Record<string, unknown>;
      const upstreamIndex = typeof call.index === 'number' ? call.index : 0;
      const fn = (call.function ?? {}) as Record<string, unknown>;
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
      let known = state.tools.get(upstreamIndex);
      // A new id at a known index means the host reuses indexes for separate calls.
      if (known === undefined || (id !== undefined && id !== known.id)) {
        known = { index: state.nextToolIndex++, id: id ?? this.newId('call_') };
        state.tools.set(upstreamIndex, known);
        const start: StreamEvent = { type: 'tool-call-start', choice, index: known.index, id: known.id, name: typeof fn.name === 'string' ? fn.name : '' };
        const extra = extraFields(call);
        if (extra !== undefined) start.extra = extra;
        events.push(start);
      }
      const args = fn.arguments;
      if (typeof args === 'string' && args !== '') events.push({ type: 'tool-call-delta', choice, index: known.index, arguments: args });
      else if (args !== undefined && args !== null && typeof args === 'object') {
        events.push({ type: 'tool-call-delta', choice, index: known.index, arguments: JSON.stringify(args) });
      }
    }
  }

  private logprobsOf(choice: Record<string, unknown>): unknown {
    const raw = choice.logprobs;
    if (raw === undefined || raw === null || this.options.normalizeLogprobs === undefined) return raw;
    return this.options.normalizeLogprobs(raw);
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error }];
  }
}

const TOOL_CALL_FIELDS = new Set(['index', 'id', 'type', 'function']);

function extraFields(call: Record<string, unknown>): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(call)) {
    if (TOOL_CALL_FIELDS.has(key)) continue;
    extra ??= {};
    extra[key] = call[key];
  }
  return extra;
}
