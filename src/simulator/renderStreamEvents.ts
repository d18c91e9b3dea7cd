import type { CompletionPlan, PlannedChoice } from './planCompletion.js';
import { renderUsage } from './renderUsage.js';
import { tokenLogprobs } from './tokenLogprobs.js';

/** `framing`: protocol structure between generated events (Anthropic block starts and stops, pings), sent with the event before. */
export type StreamEventKind = 'role' | 'generated' | 'finish' | 'usage' | 'done' | 'framing';

export interface StreamEvent {
  /** The complete SSE event, `data: ...\n\n`. */
  text: string;
  /** `generated` events (reasoning, content, tool-call fragments) are the ones faults and pacing count. */
  kind: StreamEventKind;
  /** Choice index, -1 for the usage and [DONE] events. */
  choice: number;
  /** Completion tokens this event carries, for pacing. */
  tokens: number;
}

const DONE_EVENT: StreamEvent = Object.freeze({ text: 'data: [DONE]\n\n', kind: 'done', choice: -1, tokens: 0 }) as StreamEvent;

/** Splits tokens into `chunkCount` nearly equal consecutive groups (one per token when undefined). */
export function groupTokens(tokens: readonly string[], chunkCount: number | undefined): string[][] {
  const count = chunkCount === undefined ? tokens.length : Math.min(chunkCount, tokens.length);
  const groups: string[][] = [];
  for (let group = 0; group < count; group++) {
    groups.push(tokens.slice(Math.floor((group * tokens.length) / count), Math.floor(((group + 1) * tokens.length) / count)));
  }
  return groups;
}

/**
 * Renders a plan as OpenAI's SSE events: role chunk per choice, generated chunks (choices interleaved),
 * a finish chunk per choice, the usage chunk when asked for, and [DONE]. Chunks are built from string
 * templates around a prefix shared by the whole stream, which keeps the 0-latency benchmark path cheap.
 */
export function renderStreamEvents(plan: CompletionPlan, includeUsage: boolean, chunkCount: number | undefined): StreamEvent[] {
  const prefix =
    `data: {"id":"${plan.id}","object":"chat.completion.chunk","created":${plan.created},"model":${JSON.stringify(plan.model)},` +
    `"service_tier":${JSON.stringify(plan.serviceTier)},"system_fingerprint":${JSON.stringify(plan.systemFingerprint)},"choices":[`;
  const suffix = includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const event = (choice: number, kind: StreamEventKind, choiceJson: string, tokens: number): StreamEvent => ({
    text: prefix + choiceJson + suffix,
    kind,
    choice,
    tokens,
  });

  const events: StreamEvent[] = [];
  const generatedPerChoice: StreamEvent[][] = [];
  for (const choice of plan.choices) {
    const index = choice.index;
    const content = choice.toolCalls === undefined ? '""' : 'null';
    events.push(event(index, 'role', `{"index":${index},"delta":{"role":"assistant","content":${content},"refusal":null},"logprobs":null,"finish_reason":null}`, 0));
    generatedPerChoice.push(renderGenerated(plan, choice, chunkCount, event));
  }
  // Round-robin interleaving, like OpenAI streams several choices.
  const longest = Math.max(0, ...generatedPerChoice.map((list) => list.length));
  for (let step = 0; step < longest; step++) {
    for (const list of generatedPerChoice) {
      const next = list[step];
      if (next !== undefined) events.push(next);
    }
  }
  for (const choice of plan.choices) {
    events.push(event(choice.index, 'finish', `{"index":${choice.index},"delta":{},"logprobs":null,"finish_reason":"${choice.finishReason}"}`, 0));
  }
  if (includeUsage) events.push({ text: `${prefix}],"usage":${renderUsage(plan.usage)}}\n\n`, kind: 'usage', choice: -1, tokens: 0 });
  events.push(DONE_EVENT);
  return events;
}

type MakeEvent = (choice: number, kind: StreamEventKind, choiceJson: string, tokens: number) => StreamEvent;

function renderGenerated(plan: CompletionPlan, choice: PlannedChoice, chunkCount: number | undefined, event: MakeEvent): StreamEvent[] {
  const index = choice.index;
  const generated: StreamEvent[] = [];
  const delta = (deltaJson: string, logprobs: string, tokens: number): StreamEvent =>
    event(index, 'generated', `{"index":${index},"delta":${deltaJson},"logprobs":${logprobs},"finish_reason":null}`, tokens);

  if (plan.reasoningField !== undefined) {
    for (const token of choice.reasoningTokens) generated.push(delta(`{"${plan.reasoningField}":${JSON.stringify(token)}}`, 'null', 1));
  }
  if (choice.toolCalls !== undefined) {
    choice.toolCalls.forEach((call, callIndex) => {
      generated.push(
        delta(`{"tool_calls":[{"index":${callIndex},"id":"${call.id}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}]}`, 'null', 1),
      );
      for (const fragment of call.argumentFragments) {
        generated.push(delta(`{"tool_calls":[{"index":${callIndex},"function":{"arguments":${JSON.stringify(fragment)}}}]}`, 'null', Math.ceil(fragment.length / 4)));
      }
    });
    return generated;
  }
  let position = 0;
  for (const group of groupTokens(choice.contentTokens, chunkCount)) {
    const logprobs = plan.topLogprobs === undefined ? 'null' : JSON.stringify({ content: tokenLogprobs(group, position, plan.topLogprobs), refusal: null });
    generated.push(delta(`{"content":${JSON.stringify(group.join(''))}}`, logprobs, group.length));
    position += group.length;
  }
  return generated;
}
