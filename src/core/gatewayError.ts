import { errorTypeForStatus, type ErrorCode, type ErrorType } from './errorCodes.js';

export interface GatewayErrorOptions {
  /** Dotted path of the request field at fault, e.g. `messages[2].content`. */
  param?: string | null;
  /** Provider id when the error came from (or concerns) an upstream. */
  provider?: string;
  /** Whether the same request may succeed if tried again later (sent as `X-Error-Retryable`). */
  retryable?: boolean;
  /** Whether another provider may serve the request (defaults to `retryable`); e.g. a quota error is not retryable but may fall back. */
  fallback?: boolean;
  /** Seconds the caller should wait, sent as `Retry-After`. */
  retryAfterSeconds?: number;
  suggestion?: string;
  /** Where the limit came from, for `X-Rate-Limit-Source` on 429s. */
  rateLimitSource?: 'gateway' | 'provider';
  /** True for upstream errors that should move a `fallback`-mode request to its next model. */
  nextModel?: boolean;
  /** Extra response headers (e.g. `X-RateLimit-*`, `X-Budget-Exceeded`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error type of the gateway: a stable code, an HTTP status, and whether it may be retried. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly provider: string | undefined;
  readonly retryable: boolean;
  readonly fallback: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly suggestion: string | undefined;
  readonly rateLimitSource: 'gateway' | 'provider' | undefined;
  readonly nextModel: boolean;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.code = code;
    this.param = options.param ?? null;
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
    this.fallback = options.fallback ?? this.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.suggestion = options.suggestion;
    this.rateLimitSource = options.rateLimitSource;
    this.nextModel = options.nextModel ?? false;
    this.headers = options.headers;
  }

  get type(): ErrorType {
    return errorTypeForStatus(this.status);
  }

  /** The same error attributed to a provider (adapters build errors before they know the id). */
  withProvider(provider: string): GatewayError {
    if (this.provider === provider) return this;
    return new GatewayError(this.status, this.code, this.message, {
      param: this.param,
      provider,
      retryable: this.retryable,
      fallback: this.fallback,
      retryAfterSeconds: this.retryAfterSeconds,
      suggestion: this.suggestion,
      rateLimitSource: this.rateLimitSource,
      nextModel: this.nextModel,
      headers: this.headers,
      cause: this.cause,
    });
  }
}

export function invalidParameter(param: string, message: string): GatewayError {
  return new GatewayError(400, 'invalid_parameter_value', message, { param });
}

export function missingParameter(param: string, message = `Missing required parameter: '${param}'.`): GatewayError {
  return new GatewayError(400, 'missing_required_parameter', message, { param });
}

export function invalidRequest(message: string, param: string | null = null): GatewayError {
  return new GatewayError(400, 'invalid_request', message, { param });
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
