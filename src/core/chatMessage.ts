/**
 * Messages in the OpenAI chat-completions shape, after validation and legacy conversion.
 * Index signatures keep fields we do not model (provider signatures, `thinking_blocks`, `extra_content`)
 * so that they round-trip to the adapters that understand them.
 */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: string;
}

export interface TextPart {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
  [extra: string]: unknown;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high'; [extra: string]: unknown };
  cache_control?: CacheControl;
  [extra: string]: unknown;
}

export interface AudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: string; [extra: string]: unknown };
  cache_control?: CacheControl;
  [extra: string]: unknown;
}

export interface FilePart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string; [extra: string]: unknown };
  cache_control?: CacheControl;
  [extra: string]: unknown;
}

export interface RefusalPart {
  type: 'refusal';
  refusal: string;
  [extra: string]: unknown;
}

export type ContentPart = TextPart | ImagePart | AudioPart | FilePart | RefusalPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; [extra: string]: unknown };
  [extra: string]: unknown;
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string | TextPart[];
  name?: string;
  [extra: string]: unknown;
}

export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
  name?: string;
  [extra: string]: unknown;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | ContentPart[] | null;
  tool_calls?: ToolCall[];
  reasoning_content?: string;
  refusal?: string | null;
  name?: string;
  [extra: string]: unknown;
}

export interface ToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string | TextPart[];
  [extra: string]: unknown;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean; [extra: string]: unknown };
  cache_control?: CacheControl;
  [extra: string]: unknown;
}

export type ToolChoice = 'auto' | 'required' | 'none' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean } };
