import type { StreamEvent } from '../../core/streamEvent.js';
import type { RememberedReasoning } from './rememberedReasoning.js';
import { toRememberedReasoning, type EmittedToolCall } from './toRememberedReasoning.js';

interface ChoiceState {
  toolCalls: EmittedToolCall[];
  fields: Record<string, unknown> | undefined;
  reasoning: string;
}

/**
 * Gathers from stream events what a client would assemble: tool-call ids and names with their extras, the
 * message-extra fields (arrays such as `thinking_blocks` concatenate, other values are replaced) and the reasoning
 * text. Nothing is kept from a stream that reported an error.
 */
export class StreamReasoningCollector {
  private readonly choices = new Map<number, ChoiceState>();
  private failed = false;

  observe(events: readonly StreamEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'tool-call-start':
          this.state(event.choice).toolCalls.push({ id: event.id, name: event.name, fields: event.extra });
          break;
        case 'message-extra': {
          const state = this.state(event.choice);
          const fields = (state.fields ??= {});
          for (const [name, value] of Object.entries(event.fields)) {
            const previous = fields[name];
            fields[name] = Array.isArray(previous) && Array.isArray(value) ? [...(previous as unknown[]), ...(value as unknown[])] : value;
          }
          break;
        }
        case 'reasoning-delta':
          this.state(event.choice).reasoning += event.text;
          break;
        case 'error':
          this.failed = true;
          break;
        default:
          break;
      }
    }
  }

  /** What to remember once the stream ended well: one entry per choice that made tool calls with reasoning beside them. */
  finish(): RememberedReasoning[] {
    if (this.failed) return [];
    const remembered: RememberedReasoning[] = [];
    for (const state of this.choices.values()) {
      const reasoning = toRememberedReasoning(state.toolCalls, state.fields, state.reasoning);
      if (reasoning !== undefined) remembered.push(reasoning);
    }
    return remembered;
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (state === undefined) {
      state = { toolCalls: [], fields: undefined, reasoning: '' };
      this.choices.set(choice, state);
    }
    return state;
  }
}
