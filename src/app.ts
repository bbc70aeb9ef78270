import { Server } from 'node:http';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import helmet from 'helmet';
import { ensurePrivateDirectory } from './access/identity/key-files';
import { AppConfig, HttpLimits } from './config/app-config';
import { HttpEdgeModule } from './http/http-edge.module';

/** The HTTP service: API, OpenAPI documentation at /docs, pages at /. */
export async function createHttpApp(config: AppConfig, options: AppOptions = { liveProjection: true }): Promise<INestApplication> {
  ensurePrivateDirectory(config.dataDir);
  // The edge reads and checks bodies itself (src/http/http-edge.middleware.ts), so Express's parsers are off.
  const app = await NestFactory.create(HttpEdgeModule.forRoot(config, options), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  if (config.trustProxy > 0) app.getHttpAdapter().getInstance().set('trust proxy', config.trustProxy);
  applyServerTimeouts(app.getHttpServer(), config.http);
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } }));
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

/** Pages and API: our own scripts and styles only, never framed, forms posted back to us (or to the provider on sign-out). */
function contentSecurityPolicy(config: AppConfig) {
  const provider = config.auth.issuer ? [new URL(config.auth.issuer).origin] : [];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'", ...provider],
  };
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
  context.useLogger(context.get(Logger));
  return context;
}
