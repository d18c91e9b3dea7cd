import type { ToolCall } from './chatMessage.js';
import type { Usage } from './usage.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ResultMessage {
  content: string | null;
  reasoningContent?: string;
  refusal?: string | null;
  toolCalls?: ToolCall[];
  /** Other message fields the upstream returned (annotations, audio, thinking_blocks...), passed through. */
  extra?: Record<string, unknown>;
}

export interface ResultChoice {
  index: number;
  message: ResultMessage;
  finishReason: FinishReason;
  logprobs?: unknown;
}

/** A complete (non-streamed) answer from one provider, before routing metadata is attached. */
export interface ChatResult {
  id: string;
  created: number;
  /** The upstream's own model id. */
  model: string;
  systemFingerprint?: string | null;
  serviceTier?: string;
  choices: ResultChoice[];
  usage: Usage | undefined;
}
