import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every answer with a body carries a weak ETag of its bytes (`W/"<length in hex>-<SHA-1>"`), and a
 * GET or HEAD whose If-None-Match names the ETag is answered 304 without the body. This is what
 * the service did on Express, so clients that revalidate (browsers, pollers) keep their 304s.
 * Answers that set their own ETag (a read-model version, a stream revision) keep it.
 */
export function installBodyEtags(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    let tag = reply.getHeader('etag');
    if (tag === undefined) {
      tag = bodyEtag(payload);
      reply.header('ETag', tag);
    }
    if (!isFresh(request, reply, String(tag))) return done(null, payload);
    reply.code(304).removeHeader('content-type').removeHeader('content-length');
    done(null, null);
  });
}

export function bodyEtag(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `W/"${bytes.toString(16)}-${hash}"`;
}

/** RFC 9110 §13.1.2 with weak comparison, and `Cache-Control: no-cache` asking for the full answer. */
function isFresh(request: FastifyRequest, reply: FastifyReply, tag: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (reply.statusCode < 200 || reply.statusCode >= 300) return false;
  const noneMatch = request.headers['if-none-match'];
  if (!noneMatch) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(request.headers['cache-control'] ?? '')) return false;
  if (noneMatch.trim() === '*') return true;
  const opaque = tag.replace(/^W\//, '');
  return noneMatch.split(',').some((given) => given.trim().replace(/^W\//, '') === opaque);
}
