import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/domain-error';

/**
 * Once the service is closing, a request that still arrives on an open connection is refused with
 * 503 through the one exception filter (Fastify's own `return503OnClosing` answer, which is off,
 * has its own JSON shape and none of the service's headers), and its connection is closed.
 */
export function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('Connection', 'close');
    done(new DomainError('shutting_down', 'unavailable', 'The service is shutting down; send the request again in a moment'));
  });
}
