import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { HttpLimits } from '../config/app-config';
import { invalid } from '../shared/domain-error';
import { JSON_TYPES, NDJSON_TYPES, parseMediaType, requireUtf8, wrongMediaType } from './media-type';
import { closeAfterAnswer, hasBody, readFormBody, readJsonBody } from './request-body';

export const HTTP_LIMITS = Symbol('HttpLimits');

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The one route that takes NDJSON; its controller reads the body as a stream. */
const IMPORT_ROUTE = /^\/alliances\/[^/]+\/imports\/?$/;
/** The pages' own forms (sign-out, page actions) post urlencoded fields; they carry a CSRF token the access guard checks. */
const FORM_ROUTE = /^\/(ui|auth)\//;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Everything a request must get right before any controller sees it: each query parameter given
 * once; a write's body JSON (or NDJSON for an import), UTF-8, within the size limit, strictly
 * parsed. Writes in any other media type are refused, which also keeps cross-site form posts
 * (urlencoded, multipart, text/plain) from recording anything.
 */
@Injectable()
export class HttpEdgeMiddleware implements NestMiddleware {
  constructor(@Inject(HTTP_LIMITS) private readonly limits: HttpLimits) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    try {
      requireSingleQueryValues(request.query);
      if (WRITES.has(request.method)) await this.readBody(request);
    } catch (error) {
      closeAfterAnswer(request, response);
      throw error;
    }
    next();
  }

  private async readBody(request: Request): Promise<void> {
    const media = parseMediaType(request.headers['content-type']);
    // An import's body is streamed by its controller, after the access guard: its media type is
    // checked there (requireNdjson), so a caller without access hears 401/404 first.
    if (request.method === 'POST' && IMPORT_ROUTE.test(request.path)) return;
    if (!media && !hasBody(request)) return;
    if (media?.type === FORM_TYPE && request.method === 'POST' && FORM_ROUTE.test(request.path)) {
      requireUtf8(media);
      request.body = await readFormBody(request, this.limits.maxBodyBytes);
      return;
    }
    if (!media || !JSON_TYPES.includes(media.type)) throw wrongMediaType(media, 'application/json', 'a JSON object');
    requireUtf8(media);
    request.body = hasBody(request) ? await readJsonBody(request, this.limits.maxBodyBytes) : undefined;
  }
}

/** An import is NDJSON in UTF-8; anything else is 415 naming the type to send. */
export function requireNdjson(request: Request): void {
  const media = parseMediaType(request.headers['content-type']);
  if (!media || !NDJSON_TYPES.includes(media.type)) throw wrongMediaType(media, 'application/x-ndjson', 'one JSON command a line');
  requireUtf8(media);
}

/** `?type=a&type=b` arrives as an array: refused by name rather than guessed at. */
export function requireSingleQueryValues(query: Request['query']): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (typeof value === 'string') continue;
    if (Array.isArray(value)) throw invalid(name, `is given ${value.length} times; give it once${name === 'type' ? ' (several types separated by commas)' : ''}`, 'invalid_query');
    throw invalid(name, 'must be a single plain value', 'invalid_query');
  }
}
