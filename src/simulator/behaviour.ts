/** Which extension field carries visible reasoning text: OpenAI sends none, DeepSeek `reasoning_content`, vLLM `reasoning`. */
export type ReasoningTextField = 'none' | 'reasoning_content' | 'reasoning';

/** `auto` calls tools when the request allows it, `never` always answers with text, a number forces that many calls. */
export type ToolCallMode = 'auto' | 'never' | number;

/**
 * Everything the simulator can be told to do for one request. Sources are merged in this order,
 * later wins: DEFAULT_BEHAVIOUR < profile defaults < model-name parameters < script rule < `x-sim-behaviour` header.
 * Fields typed `| undefined` are off unless some source sets them.
 */
export interface Behaviour {
  /** Streams: delay before the first generated chunk. Non-streams and errors: delay before the response. */
  ttftMs: number;
  /** Streams: send headers and the role chunk at once instead of together with the first chunk after `ttftMs`. */
  headersFirst: boolean;
  /** Completion tokens per second after the first chunk; 0 sends everything at once. */
  tokensPerSecond: number;
  /** Length of the generated reply in tokens (one word with its leading space per token). */
  completionTokens: number;
  /** Number of content chunks in a stream; undefined = one chunk per token. */
  chunks: number | undefined;
  /** Fixed reply text (tokenised into words) instead of generated text; overrides `completionTokens`. */
  replyText: string | undefined;
  /** HTTP status to answer with instead of a completion (ignored when 2xx). */
  status: number | undefined;
  /** Raw error body (object sent as JSON, string sent verbatim) instead of the built OpenAI error body. */
  errorBody: unknown;
  errorType: string | undefined;
  errorCode: string | null | undefined;
  errorMessage: string | undefined;
  /** Seconds, sent as `retry-after` on error responses. */
  retryAfter: number | undefined;
  /** Milliseconds, sent as `retry-after-ms` on error responses. */
  retryAfterMs: number | undefined;
  /** `before-headers`: destroy the socket (after `ttftMs`) without answering. */
  reset: 'before-headers' | undefined;
  /** Streams: after N generated chunks destroy the socket (no finish chunk, usage or [DONE]). Non-streams: send half the body then destroy. */
  stopAfterChunks: number | undefined;
  /** Streams: the N-th generated chunk (1-based) carries invalid JSON. Non-streams: the body is invalid JSON. */
  malformedChunkAt: number | undefined;
  /** Streams: after N generated chunks send an OpenAI error event and end without [DONE]. */
  streamErrorAt: number | undefined;
  /** usage.prompt_tokens_details.cached_tokens, clamped to the prompt tokens. */
  cachedTokens: number;
  /** Anthropic protocol: usage.cache_creation_input_tokens, clamped to the prompt tokens not read from the cache. */
  cacheWriteTokens: number;
  /** usage.completion_tokens_details.reasoning_tokens per choice, included in completion_tokens. Anthropic: thinking tokens of a request that asks for thinking (16 when 0). */
  reasoningTokens: number;
  /** Anthropic ignores the field name: thinking blocks appear when `thinking` asks for them, or unasked when this is not `none`. */
  reasoningText: ReasoningTextField;
  toolCalls: ToolCallMode;
  systemFingerprint: string | null;
  serviceTier: string | null;
  /** Model id echoed in responses; undefined = the requested model without its `@...` parameter suffix. */
  model: string | undefined;
}

export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  ttftMs: 0,
  headersFirst: false,
  tokensPerSecond: 0,
  completionTokens: 12,
  chunks: undefined,
  replyText: undefined,
  status: undefined,
  errorBody: undefined,
  errorType: undefined,
  errorCode: undefined,
  errorMessage: undefined,
  retryAfter: undefined,
  retryAfterMs: undefined,
  reset: undefined,
  stopAfterChunks: undefined,
  malformedChunkAt: undefined,
  streamErrorAt: undefined,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  reasoningText: 'none',
  toolCalls: 'auto',
  systemFingerprint: 'fp_sim',
  serviceTier: 'default',
  model: undefined,
});

export const BEHAVIOUR_KEYS = Object.keys(DEFAULT_BEHAVIOUR) as (keyof Behaviour)[];

/** Layers partial behaviours over a base; an `undefined` value leaves the lower layer in place (null is a real value). */
export function mergeBehaviour(base: Readonly<Behaviour>, ...layers: (Partial<Behaviour> | undefined)[]): Behaviour {
  const merged: Behaviour = { ...base };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const key of BEHAVIOUR_KEYS) {
      const value = layer[key];
      // The generic key loses the per-key type link, so copy through a loosely typed view.
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}
