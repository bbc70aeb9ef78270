import type { ArgumentsHost } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { DomainErrorFilter } from './domain-error.filter';

/** What the filter wrote: status, headers and body of a reply double. */
function answer(error: unknown, request: Partial<{ method: string; url: string; routeOptions: { url?: string }; headers: Record<string, string> }> = {}) {
  const written = { status: 0, type: '', body: undefined as unknown, location: undefined as string | undefined };
  const reply = {
    sent: false,
    raw: { headersSent: false },
    header: () => reply,
    code: (status: number) => ((written.status = status), reply),
    type: (type: string) => ((written.type = type), reply),
    send: (body: unknown) => void (written.body = body),
    redirect: (location: string, status: number) => void Object.assign(written, { location, status }),
  };
  const http = { method: 'GET', url: '/', headers: {}, socket: { destroyed: false }, routeOptions: {}, originalUrl: request.url ?? '/', ...request };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => http }) } as unknown as ArgumentsHost;
  new DomainErrorFilter().catch(error, host);
  return written;
}

describe('DomainErrorFilter', () => {
  it.each([
    [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'body_too_large'],
    [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/x'), 415, 'unsupported_media_type'],
    [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'invalid_content_length'],
  ])('answers Fastify’s own refusal %s with its 4xx status in the service’s shape, not 500', (error, status, code) => {
    const written = answer(error, { method: 'POST', url: '/alliances/a/schemes/A' });
    expect(written.status).toBe(status);
    expect(written.body).toEqual({ statusCode: status, code, message: expect.any(String), errors: [] });
  });
});
