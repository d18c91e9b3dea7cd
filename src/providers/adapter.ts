import type { ChatRequest } from '../core/chatRequest.js';
import type { ChatResult } from '../core/chatResult.js';
import type { GatewayError } from '../core/gatewayError.js';
import type { OfferCapabilities } from '../core/offerCapabilities.js';
import type { StreamEvent } from '../core/streamEvent.js';
import type { Warning } from '../core/warning.js';
import type { ProviderType } from '../config/configSchema.js';

/** Where and as whom one attempt is sent. */
export interface UpstreamTarget {
  providerId: string;
  /** Configured base URL without a trailing slash. */
  baseUrl: string;
  /** The gateway's key for the provider, or the caller's own (BYOK); undefined when the upstream needs none. */
  apiKey: string | undefined;
  /** Extra headers from the provider's config. */
  headers: Record<string, string>;
  upstreamModel: string;
  /** What the offer declares (catalog or config), for translations that depend on the model. */
  capabilities: OfferCapabilities;
  /** The offer's output-token ceiling, when known. */
  maxOutputTokens: number | undefined;
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Parameters this adapter dropped or changed, for `routing_metadata.warnings`. */
  warnings: Warning[];
}

/** One server-sent event as decoded from the upstream byte stream. */
export interface SseMessage {
  event: string | undefined;
  data: string;
}

export interface StreamDecoder {
  decode(message: SseMessage): StreamEvent[];
  /** Called at end of input: returns the closing events, or an `error` event when the stream was cut short. */
  end(): StreamEvent[];
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * A provider protocol: pure translation between the gateway's neutral types and one native API.
 * Only `upstream/` performs I/O; adapters never touch the network.
 */
export interface ProviderAdapter {
  readonly type: ProviderType;
  buildRequest(request: ChatRequest, target: UpstreamTarget): UpstreamRequest;
  parseResponse(body: unknown, request: ChatRequest): ChatResult;
  createStreamDecoder(request: ChatRequest): StreamDecoder;
  parseError(status: number, body: string, headers: ResponseHeaders): GatewayError;
}
