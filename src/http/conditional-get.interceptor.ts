import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, Observable, of, tap } from 'rxjs';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';

/** Revalidate every time (the figures move with every event), and never in a shared cache (they are behind a token). */
export const READ_MODEL_CACHE_CONTROL = 'private, no-cache';

/**
 * Conditional GET for answers read from an alliance's read models: the `ETag` names the
 * read-model version (ReadModelVersions), so a client that sends it back in `If-None-Match`
 * while nothing in the alliance has changed gets `304 Not Modified` without the figures being
 * read or sent. Runs after the access guard, so a 304 tells nothing a 200 would not. Answers about
 * the past or with explanations (any query parameter) are left alone.
 */
@Injectable()
export class ConditionalGetInterceptor implements NestInterceptor {
  constructor(private readonly projector: SettlementProjector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const allianceId = (request.params as Record<string, string | undefined>).allianceId;
    if (request.method !== 'GET' || !allianceId || Object.keys((request.query as object | undefined) ?? {}).length > 0) return next.handle();
    return from(this.projector.waitUntilCurrent()).pipe(
      mergeMap(() => {
        const version = this.projector.readModelVersion(allianceId);
        if (version === null) return next.handle();
        const tag = `W/"${version}"`;
        const label = () => {
          response.header('ETag', tag);
          response.header('Cache-Control', READ_MODEL_CACHE_CONTROL);
        };
        if (matches(request.headers['if-none-match'], tag)) {
          label();
          response.code(304);
          return of(undefined);
        }
        return next.handle().pipe(tap(label));
      }),
    );
  }
}

/** `@ConditionalGet()` on a route answered from one alliance's read models. */
export const ConditionalGet = () => UseInterceptors(ConditionalGetInterceptor);

function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const opaque = tag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const given = candidate.trim();
    return given === '*' || given.replace(/^W\//, '') === opaque;
  });
}
