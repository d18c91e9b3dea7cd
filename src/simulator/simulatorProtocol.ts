import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ProfileState } from './profileState.js';
import type { ResponseDelivery } from './responseDelivery.js';
import type { ScriptBook } from './scriptBook.js';
import type { SimulatorIds } from './simulatorIds.js';
import type { SimulatorRequestError } from './simulatorRequestError.js';

/** Everything an endpoint needs to answer one request. */
export interface SimulatorRequestContext {
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  headers: IncomingHttpHeaders;
  profile: ProfileState;
  scripts: ScriptBook;
  ids: SimulatorIds;
  /** The id the response carries in the protocol's request-id header. */
  requestId: string;
  delivery: ResponseDelivery;
  /** When the simulator started (Unix seconds), for `created` fields of listings. */
  startedAt: number;
}

/** One path of a protocol. */
export interface SimulatorEndpoint {
  /** The one method the endpoint answers; any other gets 405 with `allow`. */
  method: 'GET' | 'POST';
  /** Answers the request; client mistakes are thrown as SimulatorRequestError. */
  handle(context: SimulatorRequestContext): void;
}

/**
 * One native provider API the simulator speaks. The server strips an optional `/p/<profile>` prefix, asks each
 * protocol in turn for the endpoint of the rest of the path, then authenticates and renders errors the way that
 * protocol's real API does.
 */
export interface SimulatorProtocol {
  readonly name: string;
  /** The endpoint serving `path` (after the optional `/p/<profile>` prefix, query removed), or undefined. */
  endpoint(path: string): SimulatorEndpoint | undefined;
  /** Throws the protocol's own 401 unless the request carries the profile's key (profiles without a key accept anything). */
  authenticate(profile: ProfileState, headers: IncomingHttpHeaders): void;
  /** Headers every response carries, computed when the response is sent. */
  responseHeaders(requestId: string, elapsedMs: number): OutgoingHttpHeaders;
  /** A client mistake as this protocol's error body. */
  errorBody(error: SimulatorRequestError, requestId: string): string;
}
