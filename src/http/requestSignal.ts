import type { ServerResponse } from 'node:http';
import { CancelSignal } from '../core/cancelSignal.js';
import { GatewayError } from '../core/gatewayError.js';
import { ClientGoneError } from '../chat/chatContext.js';

export interface RequestSignal {
  signal: CancelSignal;
  /** Stops the deadline timer; call when the request is over. */
  dispose(): void;
}

/** A signal that fires when the client disconnects before the response finished, or when `deadline_ms` passes. */
export function createRequestSignal(response: ServerResponse, deadlineMs: number | undefined): RequestSignal {
  const signal = new CancelSignal();
  const onClose = () => {
    if (!response.writableFinished) signal.abort(new ClientGoneError());
  };
  response.once('close', onClose);
  let timer: NodeJS.Timeout | undefined;
  if (deadlineMs !== undefined) {
    timer = setTimeout(() => {
      signal.abort(new GatewayError(504, 'upstream_timeout', `The request did not complete within deadline_ms (${deadlineMs} ms).`, {
        param: 'gateway.routing.deadline_ms',
        retryable: true,
      }));
    }, deadlineMs);
    timer.unref();
  }
  return {
    signal,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      response.off('close', onClose);
    },
  };
}
