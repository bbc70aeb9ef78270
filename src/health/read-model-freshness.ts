import type { FastifyInstance } from 'fastify';
import type { AuthenticatedRequest } from '../access/route-access';
import { routedPath } from '../http/request-path';
import { ReadModelFreshness, SettlementProjector } from '../settlement/read-models/settlement-projector';

const READS = /^\/(alliances|ui)(\/|$)/;

/**
 * Every GET answer under /alliances and /ui says how stale the read models were when it was
 * served, so a client reading figures while the projection lags or is stuck can tell:
 * `X-Read-Model-Status` (current, behind, failing, unknown), `X-Read-Model-Position` (the
 * checkpoint) and `X-Read-Model-Lag` (seconds since the oldest event not yet projected was recorded).
 *
 * Only answers the access guard let through carry them (a signed-in caller, below 400): the
 * checkpoint is a position in the whole ledger. A Fastify hook rather than a Nest interceptor,
 * which costs every request an rxjs pipeline and AsyncResource bindings, whatever its path.
 */
export function installReadModelFreshness(fastify: FastifyInstance, projector: SettlementProjector): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.method !== 'GET' || reply.statusCode >= 400 || !(request as AuthenticatedRequest).principal || !READS.test(routedPath(request))) return done(null, payload);
    const label = (freshness: ReadModelFreshness) => {
      reply.header('X-Read-Model-Status', freshness.status);
      reply.header('X-Read-Model-Position', freshness.checkpoint ?? 'none');
      if (freshness.lagSeconds !== null) reply.header('X-Read-Model-Lag', String(freshness.lagSeconds));
      done(null, payload);
    };
    const now = projector.currentNow();
    if (now) label(now);
    else projector.freshness().then(label, done);
  });
}
