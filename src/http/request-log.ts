import { Injectable, LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { Logger as Pino } from 'pino';
import { redactedUrl } from './logged-url';

/**
 * The service's one log: JSON lines from pino, each with `service: "alliance-ledger"`. Nest's own
 * messages go through it (with their `context`), and so does one line per answered request.
 *
 * Written for Fastify directly rather than with nestjs-pino and pino-http: those give every request
 * a child logger and run the rest of it inside an AsyncLocalStorage, and while one is in use Node
 * tracks every promise of the process, requests and imports alike. Messages logged while handling
 * a request name it themselves (the error filter writes the method and path).
 */
@Injectable()
export class LedgerLog implements LoggerService {
  readonly pino: Pino;

  constructor(level: string, to: 'stdout' | 'stderr' | pino.DestinationStream = 'stdout') {
    this.pino = pino({ level, base: { service: 'alliance-ledger' } }, typeof to === 'string' ? pino.destination(to === 'stderr' ? 2 : 1) : to);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes (message, context) and, for errors, (message, stack, context). */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && rest.length === 2 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level]({ ...fields, ...(stack ? { stack } : {}) }, String(message));
  }
}

/**
 * One line per request once it is answered (or given up by the client): its id, method, URL with
 * credentials redacted (src/http/logged-url.ts), status and time taken. /health is left out: load
 * balancers poll it.
 */
export function installRequestLog(fastify: FastifyInstance, log: Pino): void {
  const req = (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactedUrl(request.url) });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.url !== '/health') {
      const line = { req: req(request), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) };
      if (reply.statusCode >= 500) log.error(line, 'request errored');
      else log.info(line, 'request completed');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    log.info({ req: req(request) }, 'request aborted');
    done();
  });
}
