import type { CacheControl } from '../../core/chatMessage.js';

/** One content block of an Anthropic message, system prompt or tool result, as sent on the wire. */
export interface AnthropicBlock {
  type: string;
  cache_control?: CacheControl;
  [field: string]: unknown;
}

/** One turn of Anthropic's `messages` (roles strictly alternate, user first). */
export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

/** One entry of Anthropic's `tools`. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
  cache_control?: CacheControl;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };
