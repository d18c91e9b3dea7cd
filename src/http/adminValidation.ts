import { GatewayError, invalidParameter, invalidRequest, missingParameter } from '../core/gatewayError.js';

/** Reading admin request bodies and query strings: every problem is a 400 in the contract's envelope, naming `param`. */

export type JsonObject = Record<string, unknown>;

/** The body as an object with only the `allowed` fields (an unknown field is most likely a typo: it is refused). */
export function readBody(body: unknown, allowed: readonly string[]): JsonObject {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  const object = body as JsonObject;
  for (const field of Object.keys(object)) {
    if (!allowed.includes(field)) throw invalidRequest(`Unknown field '${field}'; allowed: ${allowed.join(', ')}.`, field);
  }
  return object;
}

export function requiredString(body: JsonObject, field: string, maxLength: number): string {
  const value = body[field];
  if (value === undefined || value === null) throw missingParameter(field);
  return checkString(value, field, maxLength);
}

/** undefined: not sent; null: sent as null (clears the field). */
export function optionalString(body: JsonObject, field: string, maxLength: number): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  return checkString(value, field, maxLength);
}

function checkString(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidParameter(field, `'${field}' must be a non-empty string.`);
  if (value.length > maxLength) throw invalidParameter(field, `'${field}' must be at most ${maxLength} characters.`);
  return value;
}

export function optionalPositiveInteger(body: JsonObject, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 2_147_483_647) {
    throw invalidParameter(field, `'${field}' must be a positive integer (or null for no limit).`);
  }
  return value;
}

export function optionalEnum<T extends string>(body: JsonObject, field: string, values: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalidParameter(field, `'${field}' must be one of: ${values.join(', ')}.`);
  }
  return value as T;
}

export function requiredEnum<T extends string>(body: JsonObject, field: string, values: readonly T[]): T {
  if (body[field] === undefined || body[field] === null) throw missingParameter(field);
  return optionalEnum(body, field, values) as T;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(field, `'${field}' must be true or false.`);
  return value;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO-8601 time with an offset (`2026-05-01T00:00:00Z`), or a date (midnight UTC); wall-clock ms. */
export function parseTime(value: string, field: string): number {
  const ms = ISO_DATETIME.test(value) || ISO_DATE.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidParameter(field, `'${field}' must be an ISO-8601 time with an offset (e.g. 2026-05-01T00:00:00Z) or a date (2026-05-01).`);
  return ms;
}

/** An expiry: undefined (not sent), null (never expires) or a future time. */
export function optionalExpiry(body: JsonObject, field: string, now: number): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw invalidParameter(field, `'${field}' must be an ISO-8601 time such as 2026-12-31T23:59:59Z, or null.`);
  const ms = parseTime(value, field);
  if (ms <= now) throw invalidParameter(field, `'${field}' must be in the future; revoke a key to stop it now.`);
  return ms;
}

/** Most a budget may be (USD): keeps micro-USD far inside exact integers. */
const MAX_USD = 1_000_000_000;

export function requiredUsd(body: JsonObject, field: string): number {
  const value = body[field];
  if (value === undefined || value === null) throw missingParameter(field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_USD) {
    throw invalidParameter(field, `'${field}' must be a number of US dollars between 0 and ${MAX_USD}.`);
  }
  return Math.round(value * 1_000_000);
}

/** One query-string value; a repeated parameter is refused. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(name, `'${name}' must be given once.`);
  if (value === '') throw invalidParameter(name, `'${name}' must not be empty.`);
  return value;
}

export function notFound(message: string): GatewayError {
  return new GatewayError(404, 'resource_not_found', message);
}
