import type { FinishReason } from '../../core/chatResult.js';
import type { RoutingMetadata } from '../../core/routingMetadata.js';
import type { StreamEvent } from '../../core/streamEvent.js';
import type { Usage } from '../../core/usage.js';
import { renderUsage } from './renderUsage.js';

const CHOICE_TAIL = ',"logprobs":null,"finish_reason":null}],"usage":null}\n\n';

/**
 * Turns stream events into OpenAI `chat.completion.chunk` SSE text (contract §6): a role chunk first for
 * each choice, deltas, a finish chunk, and — written by `finish()` — the usage chunk with routing metadata
 * and `[DONE]`. Chunk prefixes are built once per stream; only the deltas are serialised per event.
 */
export class ChunkEncoder {
  private prefix = '';
  private started = false;
  private readonly rolesSent = new Set<number>();
  private readonly legacyFunctions: boolean;

  constructor(options: { legacyFunctions: boolean }) {
    this.legacyFunctions = options.legacyFunctions;
  }

  /** SSE text for one event ('' when the event has no wire form). Error events are not encoded here. */
  encode(event: StreamEvent): string {
    // Decoders begin with response-start; if one does not, the stream still gets a well-formed prefix.
    if (!this.started && event.type !== 'response-start') this.start('chatcmpl-' + Date.now().toString(36), '', Math.floor(Date.now() / 1000), undefined, undefined);
    switch (event.type) {
      case 'response-start':
        return this.start(event.id, event.model, event.created, event.systemFingerprint, event.serviceTier) + this.role(0);
      case 'text-delta':
        if (event.logprobs !== undefined && event.logprobs !== null) {
          return this.role(event.choice) + this.prefix + `{"index":${event.choice},"delta":{"content":${JSON.stringify(event.text)}},"logprobs":${JSON.stringify(event.logprobs)},"finish_reason":null}],"usage":null}\n\n`;
        }
        return this.delta(event.choice, `"content":${JSON.stringify(event.text)}`);
      case 'reasoning-delta':
        return this.delta(event.choice, `"reasoning_content":${JSON.stringify(event.text)}`);
      case 'refusal-delta':
        return this.delta(event.choice, `"refusal":${JSON.stringify(event.text)}`);
      case 'tool-call-start': {
        if (this.legacyFunctions) {
          // `function_call` holds one call: a later call's name would overwrite the first's (as non-streamed answers keep the first).
          return event.index === 0 ? this.delta(event.choice, `"function_call":{"name":${JSON.stringify(event.name)},"arguments":""}`) : '';
        }
        const extra = event.extra === undefined ? '' : serializeExtraFields(event.extra);
        return this.delta(
          event.choice,
          `"tool_calls":[{"index":${event.index},"id":${JSON.stringify(event.id)},"type":"function","function":{"name":${JSON.stringify(event.name)},"arguments":""}${extra}}]`,
        );
      }
      case 'tool-call-delta':
        if (event.arguments === '') return '';
        if (this.legacyFunctions) {
          return event.index === 0 ? this.delta(event.choice, `"function_call":{"arguments":${JSON.stringify(event.arguments)}}`) : '';
        }
        return this.delta(event.choice, `"tool_calls":[{"index":${event.index},"function":{"arguments":${JSON.stringify(event.arguments)}}}]`);
      case 'message-extra': {
        const fields = JSON.stringify(event.fields);
        return fields === '{}' ? '' : this.delta(event.choice, fields.slice(1, -1));
      }
      case 'finish': {
        const reason: FinishReason = this.legacyFunctions && event.reason === 'tool_calls' ? 'function_call' : event.reason;
        return this.role(event.choice) + this.prefix + `{"index":${event.choice},"delta":{},"logprobs":null,"finish_reason":"${reason}"}],"usage":null}\n\n`;
      }
      case 'usage':
      case 'error':
        return '';
    }
  }

  /** The closing usage chunk (always sent, contract §6) and `[DONE]`. */
  finish(usage: Usage, metadata: RoutingMetadata): string {
    // Without any event before, the usage chunk still needs the common prefix.
    if (!this.started) this.start('chatcmpl-' + Date.now().toString(36), '', Math.floor(Date.now() / 1000), undefined, undefined);
    const usageJson = JSON.stringify(renderUsage(usage));
    return this.prefix + `],"usage":${usageJson},"routing_metadata":${JSON.stringify(metadata)}}\n\ndata: [DONE]\n\n`;
  }

  get hasStarted(): boolean {
    return this.started;
  }

  private start(id: string, model: string, created: number, fingerprint: string | null | undefined, serviceTier: string | undefined): string {
    if (this.started) return '';
    this.started = true;
    let prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)}`;
    if (serviceTier !== undefined) prefix += `,"service_tier":${JSON.stringify(serviceTier)}`;
    if (fingerprint !== undefined) prefix += `,"system_fingerprint":${JSON.stringify(fingerprint)}`;
    this.prefix = prefix + ',"choices":[';
    return '';
  }

  private role(choice: number): string {
    if (this.rolesSent.has(choice)) return '';
    this.rolesSent.add(choice);
    return this.prefix + `{"index":${choice},"delta":{"role":"assistant","content":""}` + CHOICE_TAIL;
  }

  private delta(choice: number, body: string): string {
    return this.role(choice) + this.prefix + `{"index":${choice},"delta":{${body}}` + CHOICE_TAIL;
  }
}

function serializeExtraFields(extra: Record<string, unknown>): string {
  const json = JSON.stringify(extra);
  return json === '{}' ? '' : ',' + json.slice(1, -1);
}
