import type { Behaviour } from './behaviour.js';
import { SimulatorRequestError } from './simulatorRequestError.js';
import { validateBehaviour } from './validateBehaviour.js';

export interface ParsedModelName {
  /** The requested model without its `@...` suffix. */
  baseModel: string;
  /** Behaviour set by the suffix; undefined when there is none. */
  behaviour: Partial<Behaviour> | undefined;
}

/** Short model-name keys → behaviour fields, e.g. `sim-chat@ttft=200,tps=50,tokens=30`. */
const SHORT_KEYS: Record<string, keyof Behaviour> = {
  ttft: 'ttftMs',
  tps: 'tokensPerSecond',
  tokens: 'completionTokens',
  chunks: 'chunks',
  status: 'status',
  retry_after: 'retryAfter',
  retry_after_ms: 'retryAfterMs',
  reset: 'reset',
  stop_after: 'stopAfterChunks',
  malformed_at: 'malformedChunkAt',
  stream_error_at: 'streamErrorAt',
  cached: 'cachedTokens',
  cache_write: 'cacheWriteTokens',
  reasoning: 'reasoningTokens',
  reasoning_text: 'reasoningText',
  tools: 'toolCalls',
  headers_first: 'headersFirst',
};

const STRING_FIELDS = new Set<keyof Behaviour>(['reasoningText']);

// Benchmarks send the same few model names thousands of times, so parse each once.
const cache = new Map<string, ParsedModelName>();
const CACHE_LIMIT = 1000;

function convertValue(field: keyof Behaviour, raw: string | undefined): unknown {
  if (field === 'reset') return raw === undefined || raw === '1' || raw === 'true' || raw === 'before-headers' ? 'before-headers' : raw;
  if (field === 'headersFirst') return raw === undefined || raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : raw;
  if (field === 'toolCalls' && (raw === 'auto' || raw === 'never')) return raw;
  if (STRING_FIELDS.has(field)) return raw;
  if (raw === undefined || raw.trim() === '') return raw;
  const number = Number(raw);
  return Number.isNaN(number) ? raw : number;
}

/** Splits `model@key=value,...` into the base model and the behaviour its parameters ask for. */
export function parseModelName(model: string): ParsedModelName {
  const cached = cache.get(model);
  if (cached !== undefined) return cached;
  const at = model.indexOf('@');
  let parsed: ParsedModelName;
  if (at < 0) {
    parsed = { baseModel: model, behaviour: undefined };
  } else {
    const behaviour: Record<string, unknown> = {};
    for (const part of model.slice(at + 1).split(',')) {
      if (part === '') continue;
      const equals = part.indexOf('=');
      const key = equals < 0 ? part : part.slice(0, equals);
      const field = SHORT_KEYS[key];
      if (field === undefined) {
        throw new SimulatorRequestError(400, `Unknown simulator model parameter '${key}' in '${model}'. Known: ${Object.keys(SHORT_KEYS).join(', ')}.`, {
          param: 'model',
          code: 'invalid_value',
        });
      }
      behaviour[field] = convertValue(field, equals < 0 ? undefined : part.slice(equals + 1));
    }
    parsed = { baseModel: model.slice(0, at), behaviour: validateBehaviour(behaviour, `Model parameters of '${model}'`, 'model') };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(model, parsed);
  return parsed;
}
