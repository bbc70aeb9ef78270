import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import helmet from 'helmet';
import { ensurePrivateDirectory } from './access/identity/key-files';
import { AppConfig } from './config/app-config';

/** The HTTP service: API, OpenAPI documentation at /docs, pages at /. */
export async function createHttpApp(config: AppConfig, options: AppOptions = { liveProjection: true }): Promise<INestApplication> {
  ensurePrivateDirectory(config.dataDir);
  const app = await NestFactory.create(AppModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (config.trustProxy > 0) app.getHttpAdapter().getInstance().set('trust proxy', config.trustProxy);
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

/** The same application without HTTP, for the command line. */
export async function createCliContext(config: AppConfig): Promise<INestApplicationContext> {
  ensurePrivateDirectory(config.dataDir);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, { liveProjection: false, logTo: 'stderr' }), { bufferLogs: true });
  context.useLogger(context.get(Logger));
  return context;
}
