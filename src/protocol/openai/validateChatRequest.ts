import type { ChatRequest } from '../../core/chatRequest.js';
import { invalidParameter, invalidRequest } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import { checkNestingDepth } from './checkNestingDepth.js';
import { validateGatewayOptions } from './validateGatewayOptions.js';
import { validateMessages } from './validateMessages.js';
import { validateParameters } from './validateParameters.js';
import { describeValue, expectBoolean, expectRecord, isAbsent, isRecord } from './valueChecks.js';

export interface ValidatedChatRequest {
  request: ChatRequest;
  /** What the gateway changed or dropped, for `routing_metadata.warnings` (contract §5.3). */
  warnings: Warning[];
}

/** Every top-level field the gateway reads; anything else is dropped with an `unsupported_field` warning. */
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'top_k',
  'min_p',
  'top_a',
  'repetition_penalty',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'seed',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'stream',
  'stream_options',
  'user',
  'n',
  'logprobs',
  'top_logprobs',
  'response_format',
  'web_search_options',
  'verbosity',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'gateway',
  'extensions',
  // [legacy] spellings of gateway fields
  'models',
  'routing',
  'auriko_metadata',
]);

/**
 * Validates a `POST /v1/chat/completions` body (contract §2, §3, §4.3, §4.4, §7) into a provider-neutral
 * `ChatRequest`. Throws a `GatewayError` (400) for the first problem found. Legacy spellings are converted
 * and unknown fields dropped, each reported in `warnings`. Message and tool objects are the caller's own
 * (not copied) unless a conversion had to change them; nothing the caller passed is mutated.
 * `null` for an optional top-level field means the same as leaving it out, as with OpenAI.
 */
export function validateChatRequest(body: unknown): ValidatedChatRequest {
  if (!isRecord(body)) throw invalidRequest(`The request body must be a JSON object, got ${describeValue(body)}.`);
  checkNestingDepth(body);
  const warnings: Warning[] = [];
  const gateway = validateGatewayOptions(body, warnings);
  const messages = validateMessages(body.messages, warnings);
  const { params, legacyFunctions } = validateParameters(body, warnings);
  const stream = isAbsent(body.stream) ? false : expectBoolean(body.stream, 'stream');
  // `include_usage` is always treated as true, so nothing in `stream_options` needs keeping.
  if (!isAbsent(body.stream_options)) expectRecord(body.stream_options, 'stream_options');
  const extensions = isAbsent(body.extensions) ? {} : validateExtensions(body.extensions);
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key) && !isAbsent(body[key])) {
      warnings.push({ code: 'unsupported_field', param: key, message: `'${key}' is not supported by the gateway and was ignored.` });
    }
  }
  return { request: { messages, params, stream, legacyFunctions, extensions, gateway }, warnings };
}

/** `extensions.{provider}` must be objects; they are kept as sent (sanitised per provider later, §7). */
function validateExtensions(value: unknown): Record<string, Record<string, unknown>> {
  const extensions = expectRecord(value, 'extensions');
  for (const key of Object.keys(extensions)) {
    const extension = extensions[key];
    if (!isRecord(extension)) {
      throw invalidParameter(`extensions.${key}`, `'extensions.${key}' must be an object of provider fields, got ${describeValue(extension)}.`);
    }
  }
  return extensions as Record<string, Record<string, unknown>>;
}
