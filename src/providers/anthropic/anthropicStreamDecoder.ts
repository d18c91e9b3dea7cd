import type { ChatRequest } from '../../core/chatRequest.js';
import type { GatewayError } from '../../core/gatewayError.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { SseMessage, StreamDecoder } from '../adapter.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { malformedUpstream } from '../classifyUpstreamError.js';
import { jsonFromToolInput, jsonResponseTool, type JsonResponseTool } from './jsonResponseTool.js';
import { mapAnthropicStopReason } from './mapAnthropicStopReason.js';
import { parseAnthropicStreamError } from './parseAnthropicError.js';
import { toUsage, type AnthropicTokenCounts } from './parseAnthropicUsage.js';

type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking'; signature: string }
  | { kind: 'tool'; index: number; streamed: boolean; startInput: string | undefined }
  /** The JSON-mode emulation tool: its input is the answer text. */
  | { kind: 'json'; buffer: string }
  | { kind: 'ignored' };

/**
 * Decodes Anthropic's named SSE events (§3.6) into stream events (§3.7), event by event: `message_start` starts
 * the response and reports the prompt usage; text and thinking deltas pass through; each thinking block's
 * signature is handed to the client at the block's end (`message-extra`, §11.2); tool indexes count tool calls,
 * not content blocks; `message_delta` finishes with cumulative usage; an `error` event is classified.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private stopped = false;
  private failed = false;
  private nextToolIndex = 0;
  private usedJsonTool = false;
  private readonly blocks = new Map<number, BlockState>();
  private readonly counts: AnthropicTokenCounts = { input: 0, cacheWrite: 0, cacheRead: 0, output: 0, thinking: undefined };
  private readonly jsonTool: JsonResponseTool | undefined;

  constructor(request: ChatRequest, private readonly effects: AdapterEffects) {
    this.jsonTool = jsonResponseTool(request);
  }

  decode(message: SseMessage): StreamEvent[] {
    if (this.stopped || this.failed) return [];
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(message.data);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      data = parsed as Record<string, unknown>;
    } catch {
      return this.fail(malformedUpstream('a stream event is not valid JSON'));
    }
    const type = typeof data.type === 'string' ? data.type : message.event;
    const events: StreamEvent[] = [];
    switch (type) {
      case 'message_start':
        this.start(objectOr(data.message), events);
        break;
      case 'content_block_start':
        this.start({}, events);
        this.blockStart(data, events);
        break;
      case 'content_block_delta':
        this.start({}, events);
        this.blockDelta(data, events);
        break;
      case 'content_block_stop':
        this.blockStop(data, events);
        break;
      case 'message_delta':
        this.start({}, events);
        this.messageDelta(data, events);
        break;
      case 'message_stop':
        this.start({}, events);
        this.stopped = true;
        if (!this.finished) this.finish('stop', events);
        break;
      case 'error':
        return [...events, ...this.fail(parseAnthropicStreamError(data))];
      default:
        // ping, and event types newer than this decoder.
        break;
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.failed || this.stopped) return [];
    return this.fail(malformedUpstream('the stream ended before message_stop'));
  }

  private start(message: Record<string, unknown>, events: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    events.push({
      type: 'response-start',
      id: typeof message.id === 'string' && message.id !== '' ? message.id : this.effects.newId('msg_'),
      model: typeof message.model === 'string' ? message.model : '',
      created: Math.floor(this.effects.now() / 1000),
    });
    if (message.usage !== undefined) {
      this.mergeUsage(message.usage);
      events.push({ type: 'usage', usage: toUsage(this.counts) });
    }
  }

  private blockStart(data: Record<string, unknown>, events: StreamEvent[]): void {
    const index = typeof data.index === 'number' ? data.index : this.blocks.size;
    const block = objectOr(data.content_block);
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text' });
        if (typeof block.text === 'string' && block.text !== '') events.push({ type: 'text-delta', choice: 0, text: block.text });
        break;
      case 'thinking':
        this.blocks.set(index, { kind: 'thinking', signature: typeof block.signature === 'string' ? block.signature : '' });
        if (typeof block.thinking === 'string' && block.thinking !== '') events.push({ type: 'reasoning-delta', choice: 0, text: block.thinking });
        break;
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'ignored' });
        events.push({ type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'redacted_thinking', data: typeof block.data === 'string' ? block.data : '' }] } });
        break;
      case 'tool_use': {
        const name = typeof block.name === 'string' ? block.name : '';
        if (this.jsonTool !== undefined && name === this.jsonTool.name) {
          this.usedJsonTool = true;
          this.blocks.set(index, { kind: 'json', buffer: '' });
          break;
        }
        const input = block.input;
        const startInput = input !== null && typeof input === 'object' && Object.keys(input).length > 0 ? JSON.stringify(input) : undefined;
        const state: BlockState = { kind: 'tool', index: this.nextToolIndex++, streamed: false, startInput };
        this.blocks.set(index, state);
        events.push({
          type: 'tool-call-start',
          choice: 0,
          index: state.index,
          id: typeof block.id === 'string' && block.id !== '' ? block.id : this.effects.newId('toolu_'),
          name,
        });
        break;
      }
      default:
        // Server-tool calls and their results ran at Anthropic: not the client's business.
        this.blocks.set(index, { kind: 'ignored' });
        break;
    }
  }

  private blockDelta(data: Record<string, unknown>, events: StreamEvent[]): void {
    const state = this.blocks.get(typeof data.index === 'number' ? data.index : -1);
    const delta = objectOr(data.delta);
    if (state === undefined) return;
    switch (delta.type) {
      case 'text_delta':
        if (state.kind === 'text' && typeof delta.text === 'string' && delta.text !== '') events.push({ type: 'text-delta', choice: 0, text: delta.text });
        break;
      case 'thinking_delta':
        if (state.kind === 'thinking' && typeof delta.thinking === 'string' && delta.thinking !== '') events.push({ type: 'reasoning-delta', choice: 0, text: delta.thinking });
        break;
      case 'signature_delta':
        if (state.kind === 'thinking' && typeof delta.signature === 'string') state.signature += delta.signature;
        break;
      case 'input_json_delta': {
        // Fragments pass on verbatim (the provider's own bytes); the usual empty first fragment carries nothing.
        const fragment = typeof delta.partial_json === 'string' ? delta.partial_json : '';
        if (fragment === '') break;
        if (state.kind === 'tool') {
          state.streamed = true;
          events.push({ type: 'tool-call-delta', choice: 0, index: state.index, arguments: fragment });
        } else if (state.kind === 'json') {
          if (this.jsonTool?.wrapped === true) state.buffer += fragment;
          else events.push({ type: 'text-delta', choice: 0, text: fragment });
        }
        break;
      }
      default:
        // citations_delta and delta types newer than this decoder.
        break;
    }
  }

  private blockStop(data: Record<string, unknown>, events: StreamEvent[]): void {
    const state = this.blocks.get(typeof data.index === 'number' ? data.index : -1);
    if (state === undefined) return;
    if (state.kind === 'thinking') {
      events.push({ type: 'message-extra', choice: 0, fields: { thinking_blocks: [{ type: 'thinking', thinking: '', signature: state.signature }] } });
    } else if (state.kind === 'tool' && !state.streamed) {
      // A call without input deltas has the input it started with, `{}` at least, as the non-streamed answer shows.
      events.push({ type: 'tool-call-delta', choice: 0, index: state.index, arguments: state.startInput ?? '{}' });
    } else if (state.kind === 'json' && this.jsonTool !== undefined && this.jsonTool.wrapped) {
      events.push({ type: 'text-delta', choice: 0, text: unwrapJson(this.jsonTool, state.buffer) });
    }
  }

  private messageDelta(data: Record<string, unknown>, events: StreamEvent[]): void {
    const delta = objectOr(data.delta);
    if (!this.finished && delta.stop_reason !== undefined && delta.stop_reason !== null) {
      let reason = mapAnthropicStopReason(delta.stop_reason);
      if (reason === 'tool_calls' && this.usedJsonTool && this.nextToolIndex === 0) reason = 'stop';
      this.finish(reason, events);
    }
    if (data.usage !== undefined && data.usage !== null) {
      this.mergeUsage(data.usage);
      events.push({ type: 'usage', usage: toUsage(this.counts) });
    }
  }

  private finish(reason: ReturnType<typeof mapAnthropicStopReason>, events: StreamEvent[]): void {
    this.finished = true;
    events.push({ type: 'finish', choice: 0, reason });
  }

  /** Counters are cumulative: a present value replaces the previous one, an absent or null one keeps it. */
  private mergeUsage(raw: unknown): void {
    const usage = objectOr(raw);
    const read = (value: unknown, previous: number): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : previous);
    this.counts.input = read(usage.input_tokens, this.counts.input);
    this.counts.cacheWrite = read(usage.cache_creation_input_tokens, this.counts.cacheWrite);
    this.counts.cacheRead = read(usage.cache_read_input_tokens, this.counts.cacheRead);
    this.counts.output = read(usage.output_tokens, this.counts.output);
    const details = objectOr(usage.output_tokens_details);
    if (typeof details.thinking_tokens === 'number') this.counts.thinking = read(details.thinking_tokens, this.counts.thinking ?? 0);
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error }];
  }
}

function unwrapJson(tool: JsonResponseTool, buffer: string): string {
  try {
    return jsonFromToolInput(tool, JSON.parse(buffer) as unknown);
  } catch {
    return buffer;
  }
}

function objectOr(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
