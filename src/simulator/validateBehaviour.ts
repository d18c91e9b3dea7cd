import { BEHAVIOUR_KEYS, type Behaviour } from './behaviour.js';
import { SimulatorRequestError } from './simulatorRequestError.js';

type Check = (value: unknown) => boolean;

const isCount: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isDuration: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isString: Check = (value) => typeof value === 'string';
const isStringOrNull: Check = (value) => typeof value === 'string' || value === null;

const CHECKS: Record<keyof Behaviour, { check: Check; expected: string }> = {
  ttftMs: { check: isDuration, expected: 'a non-negative number' },
  headersFirst: { check: (value) => typeof value === 'boolean', expected: 'a boolean' },
  tokensPerSecond: { check: isDuration, expected: 'a non-negative number' },
  completionTokens: { check: isCount, expected: 'a non-negative integer' },
  chunks: { check: (value) => isCount(value) && (value as number) > 0, expected: 'a positive integer' },
  replyText: { check: isString, expected: 'a string' },
  status: { check: (value) => isCount(value) && (value as number) >= 100 && (value as number) <= 599, expected: 'an HTTP status' },
  errorBody: { check: (value) => typeof value === 'string' || (typeof value === 'object' && value !== null), expected: 'an object or a string' },
  errorType: { check: isString, expected: 'a string' },
  errorCode: { check: isStringOrNull, expected: 'a string or null' },
  errorMessage: { check: isString, expected: 'a string' },
  retryAfter: { check: isDuration, expected: 'a non-negative number' },
  retryAfterMs: { check: isDuration, expected: 'a non-negative number' },
  reset: { check: (value) => value === 'before-headers', expected: '"before-headers"' },
  stopAfterChunks: { check: isCount, expected: 'a non-negative integer' },
  malformedChunkAt: { check: (value) => isCount(value) && (value as number) > 0, expected: 'a positive integer' },
  streamErrorAt: { check: isCount, expected: 'a non-negative integer' },
  cachedTokens: { check: isCount, expected: 'a non-negative integer' },
  cacheWriteTokens: { check: isCount, expected: 'a non-negative integer' },
  reasoningTokens: { check: isCount, expected: 'a non-negative integer' },
  reasoningText: { check: (value) => value === 'none' || value === 'reasoning_content' || value === 'reasoning', expected: '"none", "reasoning_content" or "reasoning"' },
  toolCalls: { check: (value) => value === 'auto' || value === 'never' || isCount(value), expected: '"auto", "never" or a non-negative integer' },
  systemFingerprint: { check: isStringOrNull, expected: 'a string or null' },
  serviceTier: { check: isStringOrNull, expected: 'a string or null' },
  model: { check: isString, expected: 'a string' },
};

const KNOWN_KEYS = new Set<string>(BEHAVIOUR_KEYS);

/** Checks untrusted JSON (the `x-sim-behaviour` header) so a typo fails loudly instead of being ignored. */
export function validateBehaviour(value: unknown, source: string, param: string | null = null): Partial<Behaviour> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimulatorRequestError(400, `${source} must be a JSON object of simulator behaviour fields.`, { param });
  }
  for (const [key, fieldValue] of Object.entries(value)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new SimulatorRequestError(400, `${source}: unknown behaviour field '${key}'. Known fields: ${BEHAVIOUR_KEYS.join(', ')}.`, { param });
    }
    const rule = CHECKS[key as keyof Behaviour];
    if (fieldValue !== undefined && !rule.check(fieldValue)) {
      throw new SimulatorRequestError(400, `${source}: '${key}' must be ${rule.expected}.`, { param });
    }
  }
  return value as Partial<Behaviour>;
}
