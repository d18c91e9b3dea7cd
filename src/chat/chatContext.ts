import type { CancelSignal } from '../core/cancelSignal.js';
import type { GatewayError } from '../core/gatewayError.js';
import type { Offer } from '../routing/offer.js';

export interface AttemptLog {
  offer: Offer;
  /** HTTP status the attempt ended with (200 for the one that served). */
  status: number;
  error?: GatewayError;
}

/** Per-request state shared between the HTTP layer and the executor. */
export interface ChatContext {
  /** Aborted when the client goes away or the deadline passes; the reason says which. */
  signal: CancelSignal;
  /** Every upstream attempt, appended as they finish (also on failure, for the usage record). */
  attempts: AttemptLog[];
  /** Provider id → the caller's own key (BYOK); never logged or stored. */
  callerKeys: ReadonlyMap<string, string>;
  /** The calling gateway key's id (never the secret): scopes what the gateway remembers per caller. */
  keyId?: string;
}

/** Thrown when the client disconnected: nothing more can be sent. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}
