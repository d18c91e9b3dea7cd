import type { ParameterName } from '../../core/chatRequest.js';
import type { ProviderType } from '../../config/configSchema.js';

/** How one OpenAI-protocol upstream differs from the others; the translator reads only this. */
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
}
