import type { FastifyInstance } from 'fastify';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * `OPTIONS` on a path the service routes is answered 204 with `Allow` naming its methods (as
 * Express did); on any other path it goes on to the 404. There are no CORS headers: the service
 * allows no cross-origin use, so a browser's preflight from another origin fails.
 */
export function answerOptions(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'OPTIONS' || request.routeOptions?.url) return done();
    const allowed = METHODS.filter((method) => fastify.findRoute({ method, url: request.url }) !== null);
    if (allowed.length === 0) return done();
    reply.code(204).header('Allow', [...allowed, 'OPTIONS'].join(', ')).send();
  });
}
