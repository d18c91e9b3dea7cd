import type { GatewayError } from '../../core/gatewayError.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { Usage } from '../../core/usage.js';
import type { SseMessage, StreamDecoder } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { googleExtraContent } from './geminiThoughtSignature.js';
import { mapGeminiFinishReason } from './mapGeminiFinishReason.js';
import { mapGeminiLogprobs } from './mapGeminiLogprobs.js';
import { parseGeminiErrorObject } from './parseGeminiError.js';
import { parseGeminiUsage } from './parseGeminiUsage.js';
import { readBlockReason } from './readBlockReason.js';
import { readGeminiFunctionCall } from './readGeminiFunctionCall.js';
import { renderGeminiCode } from './renderGeminiCode.js';

interface CandidateState {
  nextToolIndex: number;
  finished: boolean;
}

/**
 * Decodes `streamGenerateContent?alt=sse` (providers reference §4.6): every `data:` is a whole GenerateContentResponse,
 * text parts are deltas, each functionCall arrives whole, usage is cumulative (the last one counts), the stream ends at
 * EOF without `[DONE]`, and an `{error}` object may arrive after the 200.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private failed = false;
  private sawFinish = false;
  private usage: Usage | undefined;
  private readonly candidates = new Map<number, CandidateState>();

  constructor(private readonly effects: AdapterEffects) {}

  decode(message: SseMessage): StreamEvent[] {
    if (this.failed) return [];
    let chunk: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(message.data);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      chunk = parsed as Record<string, unknown>;
    } catch {
      return this.fail(malformedUpstream('a stream chunk is not valid JSON'));
    }
    if (chunk.error !== undefined) return this.fail(parseGeminiErrorObject(chunk));

    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'response-start',
        id: typeof chunk.responseId === 'string' && chunk.responseId !== '' ? chunk.responseId : this.effects.newId('chatcmpl-'),
        model: typeof chunk.modelVersion === 'string' ? chunk.modelVersion : '',
        created: Math.floor(this.effects.now() / 1000),
      });
    }
    const finishedBefore = this.sawFinish;
    const candidates = Array.isArray(chunk.candidates) ? (chunk.candidates as unknown[]) : [];
    candidates.forEach((candidate, position) => {
      if (candidate !== null && typeof candidate === 'object') this.decodeCandidate(candidate as Record<string, unknown>, position, events);
    });
    if (candidates.length === 0 && readBlockReason(chunk) !== undefined && !this.state(0).finished) {
      // A blocked prompt: no candidate will come (the non-streamed form answers the same).
      this.state(0).finished = true;
      this.sawFinish = true;
      events.push({ type: 'finish', choice: 0, reason: 'content_filter' });
    }
    const usage = parseGeminiUsage(chunk.usageMetadata);
    if (usage !== undefined) this.usage = usage;
    // Usage before the end counts only part of the answer: it is reported once the answer is finished.
    if (this.usage !== undefined && this.sawFinish && (usage !== undefined || !finishedBefore)) events.push({ type: 'usage', usage: this.usage });
    return events;
  }

  end(): StreamEvent[] {
    if (this.failed || this.sawFinish) return [];
    this.failed = true;
    return [{ type: 'error', error: malformedUpstream('the stream ended before the response was complete') }];
  }

  private decodeCandidate(candidate: Record<string, unknown>, position: number, events: StreamEvent[]): void {
    const choice = typeof candidate.index === 'number' ? candidate.index : position;
    const state = this.state(choice);
    const content = candidate.content !== null && typeof candidate.content === 'object' ? (candidate.content as Record<string, unknown>) : {};
    const parts = Array.isArray(content.parts) ? (content.parts as unknown[]) : [];
    let logprobs: unknown = mapGeminiLogprobs(candidate.logprobsResult);
    for (const rawPart of parts) {
      if (rawPart === null || typeof rawPart !== 'object') continue;
      const part = rawPart as Record<string, unknown>;
      const call = readGeminiFunctionCall(part, this.effects.newId);
      if (call !== undefined) {
        const index = state.nextToolIndex++;
        const start: StreamEvent = { type: 'tool-call-start', choice, index, id: call.id, name: call.name };
        if (call.extra !== undefined) start.extra = call.extra;
        events.push(start, { type: 'tool-call-delta', choice, index, arguments: call.arguments });
        continue;
      }
      const text = typeof part.text === 'string' ? part.text : renderGeminiCode(part);
      if (text !== '' && part.thought === true) events.push({ type: 'reasoning-delta', choice, text });
      else if (text !== '') {
        const delta: StreamEvent = { type: 'text-delta', choice, text };
        // One logprobs result covers the chunk's text: it rides on the first text delta.
        if (logprobs !== undefined) delta.logprobs = logprobs;
        logprobs = undefined;
        events.push(delta);
      }
      if (typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '') {
        events.push({ type: 'message-extra', choice, fields: { extra_content: googleExtraContent(part.thoughtSignature) } });
      }
    }
    const reason = candidate.finishReason;
    if (typeof reason === 'string' && reason !== '' && !state.finished) {
      state.finished = true;
      this.sawFinish = true;
      events.push({ type: 'finish', choice, reason: mapGeminiFinishReason(reason, state.nextToolIndex > 0) });
    }
  }

  private state(choice: number): CandidateState {
    let state = this.candidates.get(choice);
    if (state === undefined) {
      state = { nextToolIndex: 0, finished: false };
      this.candidates.set(choice, state);
    }
    return state;
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error }];
  }
}
