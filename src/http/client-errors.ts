import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { HttpLimits } from '../config/app-config';

interface ClientError extends Error {
  code?: string;
  reason?: string;
}

const HANG_UPS = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

/** The parts of a refusal the error filter would have written: `{ statusCode, code, message, errors }`. */
export interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
}

/**
 * Requests Node's HTTP parser refuses before Fastify has a request to route (malformed framing,
 * headers too large, too slow) are answered here, straight on the socket: Fastify's default
 * writes its own JSON shape without any of the headers every other answer carries. The answer is
 * the service's error shape with the security headers and a fresh X-Request-Id, and the
 * connection is closed, since what follows on it cannot be trusted to be a request.
 */
export function clientErrorHandler(securityHeaders: Readonly<Record<string, string>>, limits: HttpLimits): (error: ClientError, socket: Socket) => void {
  const logger = new Logger('HTTP');
  return (error, socket) => {
    if (socket.destroyed) return;
    if (HANG_UPS.has(error.code ?? '')) {
      // The client went away (mid-body, the parser sees the end too early): nobody to answer; what was reading the body logs it.
      socket.destroy();
      return;
    }
    const answer = describeClientError(error, limits);
    const requestId = randomUUID();
    logger.warn({ msg: 'malformed request refused before routing', status: answer.status, code: answer.code, cause: error.code, requestId, client: socket.remoteAddress });
    // As Node itself does: never write into an answer already under way on this connection.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(rawAnswer(answer, securityHeaders, requestId));
    socket.destroy(error);
  };
}

export function describeClientError(error: ClientError, limits: HttpLimits): ClientErrorAnswer {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'request_timeout',
        message: `The request did not arrive in time: its headers within ${limits.headersTimeoutMs} ms (LEDGER_HEADERS_TIMEOUT_MS), all of it within ${limits.requestTimeoutMs} ms (LEDGER_REQUEST_TIMEOUT_MS)`,
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: `The request’s headers are larger than the service reads (${maxHeaderSize} bytes in all); send fewer or shorter headers` };
    default:
      return { status: 400, code: 'malformed_request', message: `The request is not valid HTTP/1.1${error.reason ? ` (${error.reason})` : ''}` };
  }
}

function rawAnswer(answer: ClientErrorAnswer, securityHeaders: Readonly<Record<string, string>>, requestId: string): string {
  const body = JSON.stringify({ statusCode: answer.status, code: answer.code, message: answer.message, errors: [] });
  const headers = {
    ...securityHeaders,
    'X-Request-Id': requestId,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${lines.join('')}\r\n${body}`;
}
