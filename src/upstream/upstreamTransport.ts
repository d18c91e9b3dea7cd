import type { CancelSignal } from '../core/cancelSignal.js';
import type { ResponseHeaders, UpstreamRequest } from '../providers/adapter.js';
import type { ProviderTimeouts } from '../routing/providerRuntime.js';

export interface UpstreamCall {
  request: UpstreamRequest;
  timeouts: ProviderTimeouts;
  maxConnections: number;
  signal: CancelSignal;
}

/** The body of an upstream response: read whole, iterate as it arrives, or discard. */
export interface UpstreamBody extends AsyncIterable<Buffer | string> {
  text(): Promise<string>;
  setEncoding(encoding: BufferEncoding): unknown;
  destroy(error?: Error): unknown;
}

export interface UpstreamResponse {
  status: number;
  headers: ResponseHeaders;
  body: UpstreamBody;
}

/** The one seam for upstream I/O; tests may inject their own. */
export interface UpstreamTransport {
  /** Resolves when the response headers arrive; rejects with a GatewayError (or the abort reason when aborted). */
  send(call: UpstreamCall): Promise<UpstreamResponse>;
  close(): Promise<void>;
}
