import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpLimits } from '../config/app-config';
import { invalid } from '../shared/domain-error';
import { JSON_TYPES, NDJSON_TYPES, parseMediaType, requireUtf8, wrongMediaType } from './media-type';
import { closeAfterAnswer, hasBody, readFormBody, readJsonBody } from './request-body';
import { routedPath } from './request-path';

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
 *
 * Fastify's own body parsers are replaced by one that reads nothing, so the body is still unread
 * here and our readers take it from the raw stream. The check runs as a preValidation hook, for
 * unknown routes too, after the request id is set (onRequest): its refusals reach the one
 * exception filter through Fastify's error handler, and the request log's line (onResponse) names them.
 */
export function installHttpEdge(fastify: FastifyInstance, limits: HttpLimits): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  fastify.addHook('preValidation', async (request, reply) => {
    try {
      requireSingleQueryValues(request.query as Record<string, unknown>);
      if (WRITES.has(request.method)) request.body = await readBody(request, limits);
    } catch (error) {
      closeAfterAnswer(request.raw, reply.raw);
      throw error;
    }
  });
}

async function readBody(request: FastifyRequest, limits: HttpLimits): Promise<unknown> {
  const media = parseMediaType(request.headers['content-type']);
  // The router decodes `%61lliances` and ignores letter case, so the raw path could name a route these patterns would not recognise.
  const path = routedPath(request);
  // An import's body is streamed by its controller, after the access guard: its media type is
  // checked there (requireNdjson), so a caller without access hears 401/404 first.
  if (request.method === 'POST' && IMPORT_ROUTE.test(path)) return undefined;
  if (!media && !hasBody(request.raw)) return undefined;
  if (media?.type === FORM_TYPE && request.method === 'POST' && FORM_ROUTE.test(path)) {
    requireUtf8(media);
    return readFormBody(request.raw, limits.maxBodyBytes);
  }
  if (!media || !JSON_TYPES.includes(media.type)) throw wrongMediaType(media, 'application/json', 'a JSON object');
  requireUtf8(media);
  return hasBody(request.raw) ? readJsonBody(request.raw, limits.maxBodyBytes) : undefined;
}

/** An import is NDJSON in UTF-8; anything else is 415 naming the type to send. */
export function requireNdjson(request: FastifyRequest): void {
  const media = parseMediaType(request.headers['content-type']);
  if (!media || !NDJSON_TYPES.includes(media.type)) throw wrongMediaType(media, 'application/x-ndjson', 'one JSON command a line');
  requireUtf8(media);
}

/** `?type=a&type=b` arrives as an array: refused by name rather than guessed at. */
export function requireSingleQueryValues(query: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (typeof value === 'string') continue;
    if (Array.isArray(value)) throw invalid(name, `is given ${value.length} times; give it once${name === 'type' ? ' (several types separated by commas)' : ''}`, 'invalid_query');
    throw invalid(name, 'must be a single plain value', 'invalid_query');
  }
}
