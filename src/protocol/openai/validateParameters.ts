import { REASONING_EFFORTS, type ChatParameters, type ReasoningEffort } from '../../core/chatRequest.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import { convertLegacyFunctionCall, convertLegacyFunctions } from './convertLegacyFunctions.js';
import { validateResponseFormat } from './validateResponseFormat.js';
import { validateToolChoice, validateTools } from './validateTools.js';
import {
  describeValue,
  enumRule,
  expectBoolean,
  expectEnum,
  expectNumber,
  expectRecord,
  expectString,
  isAbsent,
  numberRule,
  type NumberRule,
} from './valueChecks.js';

type NumberParameter = { [K in keyof ChatParameters]-?: ChatParameters[K] extends number | undefined ? K : never }[keyof ChatParameters];
type StringParameter = 'user' | 'prompt_cache_key' | 'prompt_cache_retention' | 'safety_identifier';
type BooleanParameter = 'parallel_tool_calls' | 'logprobs';

const UNIT = numberRule({ min: 0, max: 1 });
const PENALTY = numberRule({ min: -2, max: 2 });
const TOKENS = numberRule({ integer: true, min: 1 });

/** Numeric parameters in the order of the contract's table (the first problem found is reported). */
const NUMBER_PARAMETERS: readonly (readonly [NumberParameter, NumberRule])[] = [
  ['temperature', numberRule({ min: 0, max: 2 })],
  ['top_p', UNIT],
  ['top_k', numberRule({ integer: true, min: 1 })],
  ['min_p', UNIT],
  ['top_a', UNIT],
  ['repetition_penalty', numberRule({ min: 0, minExclusive: true })],
  ['presence_penalty', PENALTY],
  ['frequency_penalty', PENALTY],
  ['seed', numberRule({ integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, description: 'a safe integer' })],
  ['n', numberRule({ integer: true, min: 1, max: 10 })],
  ['top_logprobs', numberRule({ integer: true, min: 0, max: 20 })],
];
const STRING_PARAMETERS: readonly StringParameter[] = ['user', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier'];
const BOOLEAN_PARAMETERS: readonly BooleanParameter[] = ['parallel_tool_calls', 'logprobs'];

const LOGIT_BIAS = numberRule({ min: -100, max: 100 });
const TOKEN_ID = /^\d+$/;
const MAX_STOP_SEQUENCES = 4;
/** OpenAI's own spellings that we normalise, with an `unsupported_parameter` warning. */
const EFFORT_ALIASES: ReadonlyMap<string, ReasoningEffort> = new Map([
  ['none', 'off'],
  ['minimal', 'low'],
]);
const REASONING_EFFORT_RULE = enumRule<string>([...REASONING_EFFORTS, ...EFFORT_ALIASES.keys()]);
const VERBOSITY_RULE = enumRule<'low' | 'medium' | 'high'>(['low', 'medium', 'high']);

export interface ValidatedParameters {
  /** Only the parameters the caller sent (routing checks which optional parameters were used). */
  params: ChatParameters;
  /** The caller used the legacy `functions` field (answers then use `function_call`). */
  legacyFunctions: boolean;
}

/** The optional generation parameters of the top level of the body (contract §2). */
export function validateParameters(body: Record<string, unknown>, warnings: Warning[]): ValidatedParameters {
  const params: ChatParameters = {};
  for (const [name, rule] of NUMBER_PARAMETERS) {
    const value = body[name];
    if (!isAbsent(value)) params[name] = expectNumber(value, name, rule);
  }
  for (const name of BOOLEAN_PARAMETERS) {
    const value = body[name];
    if (!isAbsent(value)) params[name] = expectBoolean(value, name);
  }
  for (const name of STRING_PARAMETERS) {
    const value = body[name];
    if (!isAbsent(value)) params[name] = expectString(value, name);
  }
  if (params.top_logprobs !== undefined && params.logprobs !== true) {
    throw invalidParameter('top_logprobs', "'top_logprobs' requires 'logprobs' to be true.");
  }
  readMaxTokens(body, params, warnings);
  if (!isAbsent(body.reasoning_effort)) params.reasoning_effort = readReasoningEffort(body.reasoning_effort, warnings);
  if (!isAbsent(body.stop)) params.stop = readStop(body.stop);
  if (!isAbsent(body.logit_bias)) params.logit_bias = readLogitBias(body.logit_bias);
  const legacyFunctions = readTools(body, params, warnings);
  if (!isAbsent(body.response_format)) params.response_format = validateResponseFormat(body.response_format);
  if (!isAbsent(body.web_search_options)) params.web_search_options = expectRecord(body.web_search_options, 'web_search_options');
  if (!isAbsent(body.verbosity)) params.verbosity = expectEnum(body.verbosity, 'verbosity', VERBOSITY_RULE);
  return { params, legacyFunctions };
}

/** `max_completion_tokens` wins over its older spelling `max_tokens`; both are stored as the former. */
function readMaxTokens(body: Record<string, unknown>, params: ChatParameters, warnings: Warning[]): void {
  const legacy = isAbsent(body.max_tokens) ? undefined : expectNumber(body.max_tokens, 'max_tokens', TOKENS);
  const modern = isAbsent(body.max_completion_tokens) ? undefined : expectNumber(body.max_completion_tokens, 'max_completion_tokens', TOKENS);
  if (modern !== undefined && legacy !== undefined && modern !== legacy) {
    warnings.push({
      code: 'legacy_field_converted',
      param: 'max_tokens',
      message: `'max_tokens' (${legacy}) was ignored because 'max_completion_tokens' (${modern}) is set.`,
    });
  }
  const max = modern ?? legacy;
  if (max !== undefined) params.max_completion_tokens = max;
}

function readReasoningEffort(value: unknown, warnings: Warning[]): ReasoningEffort {
  const effort = expectEnum(value, 'reasoning_effort', REASONING_EFFORT_RULE);
  const normalised = EFFORT_ALIASES.get(effort);
  if (normalised === undefined) return effort as ReasoningEffort;
  warnings.push({
    code: 'unsupported_parameter',
    param: 'reasoning_effort',
    message: `'reasoning_effort' '${effort}' was normalised to '${normalised}'.`,
  });
  return normalised;
}

/** A string or 1..4 non-empty strings → always a list. */
function readStop(value: unknown): string[] {
  if (typeof value === 'string') {
    if (value === '') throw invalidParameter('stop', "'stop' must not be an empty string.");
    return [value];
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_STOP_SEQUENCES) {
    throw invalidParameter('stop', `'stop' must be a string or an array of 1 to ${MAX_STOP_SEQUENCES} strings, got ${describeStop(value)}.`);
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string' || item === '') {
      throw invalidParameter(`stop[${i}]`, `'stop[${i}]' must be a non-empty string, got ${describeValue(item)}.`);
    }
  }
  return value as string[];
}

function describeStop(value: unknown): string {
  return Array.isArray(value) ? `an array of ${value.length}` : describeValue(value);
}

/** Token id (a string of digits) → bias in −100..100; the caller's object is kept. */
function readLogitBias(value: unknown): Record<string, number> {
  const bias = expectRecord(value, 'logit_bias');
  for (const key of Object.keys(bias)) {
    if (!TOKEN_ID.test(key)) {
      throw invalidParameter('logit_bias', `'logit_bias' keys must be token ids (strings of digits), got ${describeValue(key)}.`);
    }
    expectNumber(bias[key], `logit_bias.${key}`, LOGIT_BIAS);
  }
  return bias as Record<string, number>;
}

/**
 * `tools` / `tool_choice`, or their legacy spellings `functions` / `function_call` when the modern
 * field is absent. Returns whether `functions` was converted.
 */
function readTools(body: Record<string, unknown>, params: ChatParameters, warnings: Warning[]): boolean {
  let legacyFunctions = false;
  if (!isAbsent(body.tools)) {
    params.tools = validateTools(body.tools);
    if (!isAbsent(body.functions)) warnings.push(ignoredLegacy('functions', 'tools'));
  } else if (!isAbsent(body.functions)) {
    params.tools = convertLegacyFunctions(body.functions);
    legacyFunctions = true;
    warnings.push(convertedLegacy('functions', 'tools'));
  }
  if (!isAbsent(body.tool_choice)) {
    params.tool_choice = validateToolChoice(body.tool_choice, params.tools);
    if (!isAbsent(body.function_call)) warnings.push(ignoredLegacy('function_call', 'tool_choice'));
  } else if (!isAbsent(body.function_call)) {
    params.tool_choice = convertLegacyFunctionCall(body.function_call, params.tools);
    warnings.push(convertedLegacy('function_call', 'tool_choice'));
  }
  return legacyFunctions;
}

function convertedLegacy(legacy: string, modern: string): Warning {
  return { code: 'legacy_field_converted', param: legacy, message: `'${legacy}' is deprecated; converted to '${modern}'.` };
}

function ignoredLegacy(legacy: string, modern: string): Warning {
  return { code: 'legacy_field_converted', param: legacy, message: `'${legacy}' was ignored because '${modern}' is set.` };
}
