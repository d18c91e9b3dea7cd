import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { RequestTimer } from './requestTimer.js';

/** What the response writers need from the server for one request. */
export interface ResponseDelivery {
  response: ServerResponse;
  timer: RequestTimer;
  /** Headers every simulated response carries (`x-request-id`, `openai-processing-ms`), computed when sent. */
  baseHeaders(): OutgoingHttpHeaders;
  /** Destroys the socket on purpose (a scripted fault), so it is not recorded as a client abort. */
  destroy(): void;
}
