import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { requestPath } from '../http/request-path';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';

/**
 * Every GET answer under /alliances and /ui says how stale the read models were when it was
 * served, so a client reading figures while the projection lags or is stuck can tell:
 * `X-Read-Model-Status` (current, behind, failing, unknown), `X-Read-Model-Position` (the
 * checkpoint) and `X-Read-Model-Lag` (seconds since the oldest event not yet projected was recorded).
 */
@Injectable()
export class ReadModelFreshnessInterceptor implements NestInterceptor {
  constructor(private readonly projector: SettlementProjector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' || !/^\/(alliances|ui)(\/|$)/.test(requestPath(request))) return next.handle();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap((value) =>
        from(
          this.projector.freshness().then((freshness) => {
            if (!response.sent) {
              response.header('X-Read-Model-Status', freshness.status);
              response.header('X-Read-Model-Position', freshness.checkpoint ?? 'none');
              if (freshness.lagSeconds !== null) response.header('X-Read-Model-Lag', String(freshness.lagSeconds));
            }
            return value;
          }),
        ),
      ),
    );
  }
}
