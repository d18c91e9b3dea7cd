import type { ChatMessage } from '../../core/chatMessage.js';
import type { ChatRequest, ParameterName, ReasoningEffort } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { ProviderType } from '../../config/configSchema.js';
import type { UpstreamTarget } from '../adapter.js';
import type { OpenAIModelEntry, OpenAIModelRules } from './openaiModelRules.js';

/**
 * How one OpenAI-protocol upstream differs from the others; the translator reads only this.
 * Differences are data where data suffices; the optional hooks cover the few that are not.
 */
export interface OpenAIProtocolProfile {
  type: ProviderType;
  /** Path appended to the provider's base URL. */
  chatPath: string;
  /** The field that carries the output limit upstream. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Parameters this protocol does not take: dropped with an `unsupported_parameter` warning. */
  unsupportedParameters: ReadonlySet<ParameterName>;
  /** Message fields meant for other providers, removed before sending. */
  foreignMessageFields: readonly string[];
  /** Content-part and tool-call fields meant for other providers, removed before sending. */
  foreignPartFields: readonly string[];
  foreignToolCallFields: readonly string[];
  /** `extensions` keys (besides the provider id) merged into this protocol's requests. */
  extensionNames: readonly string[];
  /** Request fields that `reasoning_effort` controls; an extension may not set them when it is sent. */
  reasoningFields: ReadonlySet<string>;

  /** Per-model rules, first match wins (effort values, parameters rejected while reasoning...). */
  models?: readonly OpenAIModelEntry[];
  /** Parameters spelled differently on this host (e.g. `seed` → `random_seed`). */
  parameterNames?: Readonly<Partial<Record<ParameterName, string>>>;
  /** How this host spells `tool_choice: "required"`. */
  requiredToolChoice?: string;
  /** The host defaults `tool_choice` to `none` even with tools, so `auto` is sent explicitly. */
  sendAutoToolChoice?: boolean;
  /** The host has no `developer` role: such messages go out as `system`. */
  developerAsSystem?: boolean;
  /** The host rejects `stream_options`; streams are sent without it (the host reports usage anyway). */
  rejectsStreamOptions?: boolean;
  /** The host has no `json_schema` mode: it gets `json_object` and the schema in a system message, with a warning. */
  jsonSchemaAsInstruction?: boolean;
  /** The host wants string content: text-only part arrays are joined into one string. */
  flattenTextContent?: boolean;
  /** The only message fields the host accepts, per role (it rejects any other); unset = no such limit. */
  messageFields?: Readonly<Partial<Record<ChatMessage['role'], readonly string[]>>>;
  /** Message fields the host rejects although clients commonly send them: removed with a warning. */
  rejectedMessageFields?: readonly string[];
  /** Response content may be an array of typed chunks (`text`, `thinking`): text becomes content, thinking reasoning. */
  contentChunks?: boolean;
  /** Content may open with an inline `<think>…</think>` block (raw open-weight reasoning models): it becomes reasoning. */
  inlineReasoningTags?: boolean;
  /** Finish reasons that mean a (retryable) failure when the choice produced no text or tool call yet. */
  failingWhenEmpty?: readonly string[];

  /** Replaces the generic `reasoning_effort` translation (a host with its own thinking switch). */
  translateReasoning?(context: ReasoningContext): ReasoningTranslation;
  /** Host-specific edits of the built request, after the generic ones and before extensions are merged. */
  finishRequest?(draft: OpenAIRequestDraft): void;
  /** Rewrites a choice's `logprobs` into OpenAI's shape; undefined drops them. */
  normalizeLogprobs?(logprobs: unknown): unknown;
}

export interface ReasoningContext {
  effort: ReasoningEffort | undefined;
  rules: OpenAIModelRules;
  target: UpstreamTarget;
}

export interface ReasoningTranslation {
  /** Request fields to send in place of `reasoning_effort` (possibly none). */
  fields: Record<string, unknown>;
  /** Whether the model reasons on this request, so that reasoning-only restrictions apply. */
  reasoning: boolean;
  warnings: Warning[];
}

/** The request under construction, as a `finishRequest` hook sees it; the hook edits it in place. */
export interface OpenAIRequestDraft {
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** The messages about to be sent (already cleaned); replace the array rather than edit shared message objects. */
  messages: ChatMessage[];
  request: ChatRequest;
  target: UpstreamTarget;
  rules: OpenAIModelRules;
  reasoning: boolean;
  warnings: Warning[];
}

/** The parts of a profile that shape how responses are read. */
export type OpenAIResponseOptions = Pick<OpenAIProtocolProfile, 'contentChunks' | 'inlineReasoningTags' | 'failingWhenEmpty' | 'normalizeLogprobs'>;
