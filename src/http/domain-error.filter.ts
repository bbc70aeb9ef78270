import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventStoreUnavailableError } from '../event-store/event-store.port';
import { html, page } from '../pages/layout/page';
import { DomainError, ErrorKind } from '../shared/domain-error';
import { isClientHangUp } from './client-closed';
import { routedPath } from './request-path';
import { redactedUrl } from './logged-url';

const STATUS: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  stale: HttpStatus.PRECONDITION_FAILED,
  throttled: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  'unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
};

/** Fastify's own refusals (should one of its body parsers or checks run) in the service's codes. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_BAD_URL: 'invalid_path',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
};

/** The one place refusals become HTTP answers: `{ statusCode, code, message, errors: [{ field, reason }] }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (isClientHangUp(error) || (request.socket?.destroyed && !(error instanceof DomainError))) {
      this.logger.warn(`${request.method} ${redactedUrl(request.originalUrl)}: the client closed the connection before the answer (${error instanceof Error ? error.message : String(error)})`);
      request.socket?.destroy();
      return;
    }
    if (response.sent || response.raw.headersSent) return;
    const { status, body } = this.describe(error);
    const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.header('Retry-After', String(retryAfter));
    if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) this.logger.error(error instanceof Error ? error.stack : String(error));
    if (status === HttpStatus.UNAUTHORIZED) {
      if (isPageRequest(request)) {
        response.redirect(`/auth/sign-in?returnTo=${encodeURIComponent(request.originalUrl)}`, 303);
        return;
      }
      response.header('WWW-Authenticate', request.headers.authorization ? 'Bearer realm="alliance-ledger", error="invalid_token"' : 'Bearer realm="alliance-ledger"');
    }
    if (routedPath(request).startsWith('/ui/')) {
      response.code(status).type('text/html; charset=utf-8').send(page(`Error ${status}`, html`<h1>${status === 404 ? 'Not found' : 'Something is wrong'}</h1><p>${String(body.message)}</p><p><a href="/">All alliances</a></p>`));
      return;
    }
    // The type is set even when a handler set another (a page's text/html) before it failed.
    response.code(status).type('application/json; charset=utf-8').send({ statusCode: status, ...body });
  }

  private describe(error: unknown): { status: number; body: Record<string, unknown> } {
    if (error instanceof DomainError) return { status: STATUS[error.kind], body: error.toJSON() };
    if (error instanceof EventStoreUnavailableError) {
      return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { code: 'event_store_unavailable', message: `The event store is unavailable: ${error.message}`, errors: [] } };
    }
    if (isFrameworkRefusal(error)) {
      return { status: error.statusCode, body: { code: FRAMEWORK_CODES[error.code] ?? 'http_error', message: error.message, errors: [] } };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const parseFailure = status === 400 && /JSON|Unexpected token|position/i.test(error.message);
      const message = parseFailure ? `body: is not valid JSON (${error.message})` : error.message;
      return {
        status,
        body: {
          code: parseFailure ? 'invalid_json' : status === 404 ? 'not_found' : 'http_error',
          message,
          errors: parseFailure ? [{ field: 'body', reason: 'is not valid JSON' }] : [],
        },
      };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { code: 'internal_error', message: 'Something went wrong; it has been logged', errors: [] } };
  }
}

/** A refusal Fastify raised itself (`FST_…`, with a 4xx status): the client's mistake, not ours. */
function isFrameworkRefusal(error: unknown): error is Error & { code: string; statusCode: number } {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  return error instanceof Error && typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

/** A person's browser asking for a page, who should be sent to sign in rather than answered 401. */
function isPageRequest(request: FastifyRequest): boolean {
  const path = routedPath(request);
  return request.method === 'GET' && (path === '/' || path.startsWith('/ui/')) && !request.headers.authorization;
}
