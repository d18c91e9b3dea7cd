import type { FastifyInstance, HTTPMethods } from 'fastify';
import { GatewayError } from '../core/gatewayError.js';

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** For every known path, the methods it does not serve answer 405 in the contract's envelope. */
export function registerMethodGuards(app: FastifyInstance, routes: Record<string, HTTPMethods[]>): void {
  for (const [url, allowed] of Object.entries(routes)) {
    const others = ALL_METHODS.filter((method) => !allowed.includes(method));
    const allowHeader = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
    app.route({
      method: others,
      url,
      handler: async (request, reply) => {
        reply.header('allow', allowHeader);
        throw new GatewayError(405, 'method_not_allowed', `${request.method} is not allowed on this path; use ${allowed.join(' or ')}.`);
      },
    });
  }
}
