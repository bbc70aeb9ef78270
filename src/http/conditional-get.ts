import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';

/** Revalidate every time (the figures move with every event), and never in a shared cache (they are behind a token). */
export const READ_MODEL_CACHE_CONTROL = 'private, no-cache';

/**
 * Conditional GET for answers read from an alliance's read models: the `ETag` names the
 * read-model version (ReadModelVersions), so a client that sends it back in `If-None-Match`
 * while nothing in the alliance has changed gets `304 Not Modified` without the figures being
 * read or sent. Called by the route's handler, so after the access guard: a 304 tells nothing a
 * 200 would not. Answers about the past or with explanations (any query parameter) are left alone.
 *
 * A helper the handler calls rather than a Nest interceptor: an interceptor costs every request
 * of its route an rxjs pipeline and AsyncResource bindings, and these are the most read routes.
 */
@Injectable()
export class ConditionalGet {
  constructor(private readonly projector: SettlementProjector) {}

  /** What `read` answers, labelled with the version; or nothing, with 304, when the caller already has that version. */
  async answer<T>(request: FastifyRequest, reply: FastifyReply, allianceId: string, read: () => Promise<T>): Promise<T | undefined> {
    if (request.method !== 'GET' || Object.keys((request.query as object | undefined) ?? {}).length > 0) return read();
    await this.projector.waitUntilCurrent();
    const version = this.projector.readModelVersion(allianceId);
    if (version === null) return read();
    const tag = `W/"${version}"`;
    if (matches(request.headers['if-none-match'], tag)) {
      label(reply, tag);
      reply.code(304);
      return undefined;
    }
    const answer = await read();
    label(reply, tag);
    return answer;
  }
}

function label(reply: FastifyReply, tag: string): void {
  reply.header('ETag', tag);
  reply.header('Cache-Control', READ_MODEL_CACHE_CONTROL);
}

function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const opaque = tag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const given = candidate.trim();
    return given === '*' || given.replace(/^W\//, '') === opaque;
  });
}
