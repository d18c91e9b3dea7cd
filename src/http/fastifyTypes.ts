import type { RequestState } from './requestState.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Per-request facts for the log line and usage record. */
    state: RequestState;
  }
}
