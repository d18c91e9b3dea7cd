import { invalidParameter, missingParameter } from '../../core/gatewayError.js';

/**
 * Small type checks shared by the request validators. Each `expect*` returns the value with its
 * checked type or throws a 400 `invalid_parameter_value` naming `param`.
 */

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent in the JSON sense: the field was not sent, or was sent as `null` (OpenAI treats both alike). */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

const MAX_SHOWN_STRING = 40;

/** A short, safe rendering of a value for error messages (never the whole of a large string). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_SHOWN_STRING ? `${JSON.stringify(value.slice(0, MAX_SHOWN_STRING))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

export interface NumberRule {
  /** How the rule reads in an error message: "a number between 0 and 2". */
  readonly description: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
}

/** Builds a rule once, at module load; the description is part of every error message for the field. */
export function numberRule(options: { integer?: boolean; min?: number; max?: number; minExclusive?: boolean; description?: string }): NumberRule {
  const integer = options.integer ?? false;
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  const minExclusive = options.minExclusive ?? false;
  const kind = integer ? 'an integer' : 'a number';
  let description = options.description;
  if (description === undefined) {
    if (Number.isFinite(min) && Number.isFinite(max)) description = `${kind} between ${min} and ${max}`;
    else if (Number.isFinite(min)) description = minExclusive ? `${kind} greater than ${min}` : `${kind} of at least ${min}`;
    else if (Number.isFinite(max)) description = `${kind} of at most ${max}`;
    else description = kind;
  }
  return { description, integer, min, max, minExclusive };
}

export function expectNumber(value: unknown, param: string, rule: NumberRule): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (rule.integer && !Number.isInteger(value)) ||
    (rule.minExclusive ? value <= rule.min : value < rule.min) ||
    value > rule.max
  ) {
    throw invalidParameter(param, `'${param}' must be ${rule.description}, got ${describeValue(value)}.`);
  }
  return value;
}

export function expectString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalidParameter(param, `'${param}' must be a string, got ${describeValue(value)}.`);
  return value;
}

export function expectNonEmptyString(value: unknown, param: string, maxLength = Infinity): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    const limit = Number.isFinite(maxLength) ? ` of at most ${maxLength} characters` : '';
    throw invalidParameter(param, `'${param}' must be a non-empty string${limit}, got ${describeValue(value)}.`);
  }
  return value;
}

export function expectBoolean(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') throw invalidParameter(param, `'${param}' must be a boolean, got ${describeValue(value)}.`);
  return value;
}

export function expectRecord(value: unknown, param: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalidParameter(param, `'${param}' must be an object, got ${describeValue(value)}.`);
  return value;
}

export function expectArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw invalidParameter(param, `'${param}' must be an array, got ${describeValue(value)}.`);
  return value;
}

/** An allowed set of strings with its rendering for messages, built once per field. */
export interface EnumRule<T extends string> {
  readonly values: ReadonlySet<T>;
  readonly description: string;
}

export function enumRule<const T extends string>(values: readonly T[]): EnumRule<T> {
  return { values: new Set(values), description: `one of ${values.map((v) => `'${v}'`).join(', ')}` };
}

export function expectEnum<T extends string>(value: unknown, param: string, rule: EnumRule<T>): T {
  if (typeof value !== 'string' || !(rule.values as ReadonlySet<string>).has(value)) {
    throw invalidParameter(param, `'${param}' must be ${rule.description}, got ${describeValue(value)}.`);
  }
  return value as T;
}

/** An array of non-empty strings; returns the caller's array. */
export function expectStringArray(value: unknown, param: string): string[] {
  const items = expectArray(value, param);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // The element's path is spelled out only for an error: lists of provider ids come with every routed request.
    if (typeof item !== 'string' || item.length === 0) expectNonEmptyString(item, `${param}[${i}]`);
  }
  return items as string[];
}

/** A required nested field: absent → `missing_required_parameter`, not a string → `invalid_parameter_value`. */
export function requireString(value: unknown, param: string): string {
  if (value === undefined) throw missingParameter(param);
  return expectString(value, param);
}

/** A required nested object: absent → `missing_required_parameter`, not an object → `invalid_parameter_value`. */
export function requireRecord(value: unknown, param: string): Record<string, unknown> {
  if (value === undefined) throw missingParameter(param);
  return expectRecord(value, param);
}
