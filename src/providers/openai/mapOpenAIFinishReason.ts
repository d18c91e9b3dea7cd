import type { FinishReason } from '../../core/chatResult.js';

/** OpenAI's finish reasons and the extra ones OpenAI-compatible hosts send; undefined means "treat as a failure". */
export function mapOpenAIFinishReason(reason: unknown): FinishReason | undefined {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    case 'model_length':
    case 'insufficient_system_resource':
      return 'length';
    case 'error':
      return undefined;
    default:
      return 'stop';
  }
}
