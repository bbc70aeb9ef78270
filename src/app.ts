import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server } from 'node:http';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppOptions } from './app.module';
import { ensurePrivateDirectory } from './access/identity/key-files';
import { AppConfig, HttpLimits } from './config/app-config';
import { installReadModelFreshness } from './health/read-model-freshness';
import { installBodyEtags } from './http/body-etag';
import { clientErrorHandler } from './http/client-errors';
import { refuseWhileClosing } from './http/closing';
import { answerOptions } from './http/options';
import { installHttpEdge } from './http/http-edge';
import { installRequestLog, LedgerLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { SettlementProjector } from './settlement/read-models/settlement-projector';
import { invalid } from './shared/domain-error';

/** Express took any length of path parameter; find-my-way's default (100) would answer a long id 404 rather than naming it. */
const MAX_PARAM_LENGTH = 16 * 1024;

/** The HTTP service: API, OpenAPI documentation at /docs, pages at /. */
export async function createHttpApp(config: AppConfig, options: AppOptions = { liveProjection: true }): Promise<NestFastifyApplication> {
  ensurePrivateDirectory(config.dataDir);
  const headers = securityHeaders(config);
  const answerHeaders = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.headers(headers).header('X-Request-Id', request.id);
    done();
  };
  const adapter: FastifyAdapter = new FastifyAdapter({
    trustProxy: config.trustProxy > 0 ? config.trustProxy : false,
    // Fastify's own answers (a request Node cannot parse, 408, 431, 503 while closing) would have its JSON shape and none of our headers.
    clientErrorHandler: clientErrorHandler(headers, config.http),
    return503OnClosing: false,
    genReqId: requestId,
    // Routes match as they did on Express: a trailing slash and letter case do not matter.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: MAX_PARAM_LENGTH },
    // A path that is not valid percent-encoding is refused before routing, so before any hook: it gets the same headers and error shape here.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const refusal = error.code === 'FST_ERR_BAD_URL' ? invalid('path', 'is not valid percent-encoding (each % must start a UTF-8 byte in hexadecimal, e.g. %C3%A9)', 'invalid_path') : error;
      answerHeaders(request, reply, () => void adapter.getInstance().errorHandler(refusal, request, reply));
    },
  });
  // The edge reads and checks bodies itself (src/http/http-edge.ts), so the framework's parsers are off.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(LedgerLog));
  applyServerTimeouts(app.getHttpServer(), config.http);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', answerHeaders);
  installRequestLog(fastify, app.get(LedgerLog).pino);
  refuseWhileClosing(fastify);
  answerOptions(fastify);
  installHttpEdge(fastify, config.http);
  installReadModelFreshness(fastify, app.get(SettlementProjector));
  installBodyEtags(fastify);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Alliance Ledger')
      .setDescription(
        'An event-sourced ledger of outcomes and incentives for infrastructure alliances. Money is GBP as decimal strings in pounds ("1234.56"). ' +
          'Every route but /health and these docs needs `Authorization: Bearer <token>` (see docs/security.md). ' +
            'Commands take Idempotency-Key (retries are harmless) and If-Match headers; refusals name each field and the reason.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The caller's X-Request-Id when it is usable, else a fresh one: it names the request in its log line, in the events it records and in the answer. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && given.length > 0 && given.length <= 200 ? given : randomUUID();
}

/** Slow clients give up their socket: headers, the whole request, and an idle kept-alive connection are each timed. */
function applyServerTimeouts(server: Server, limits: HttpLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Node checks those timeouts on this interval (30 s by default), which would stretch a 10 s limit to 40 s.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
}

/** The same application without HTTP, for the command line. */
export async function createCliContext(config: AppConfig): Promise<INestApplicationContext> {
  ensurePrivateDirectory(config.dataDir);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, { liveProjection: false, logTo: 'stderr' }), { bufferLogs: true });
  context.useLogger(context.get(LedgerLog));
  return context;
}
