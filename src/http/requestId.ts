import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// A random per-process prefix and a counter: unique across instances without a random draw per request.
const PREFIX = 'req_' + randomBytes(6).toString('hex');
let counter = 0;
const COUNTER_LIMIT = 16 ** 12;

/** Echo a caller's well-formed `X-Request-ID`, otherwise mint one. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming)) return incoming;
  counter = (counter + 1) % COUNTER_LIMIT;
  return PREFIX + counter.toString(16).padStart(12, '0');
}
