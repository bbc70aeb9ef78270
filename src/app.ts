import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';

/** The HTTP service: API, OpenAPI documentation at /docs, pages at /. */
export async function createHttpApp(config: AppConfig, options: AppOptions = { liveProjection: true }): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Alliance Ledger')
      .setDescription(
        'An event-sourced ledger of outcomes and incentives for infrastructure alliances. Money is GBP as decimal strings in pounds ("1234.56"). ' +
          'Commands take Idempotency-Key (retries are harmless), X-Actor and If-Match headers; refusals name each field and the reason.',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The same application without HTTP, for the command line. */
export async function createCliContext(config: AppConfig): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, { liveProjection: false, logTo: 'stderr' }), { bufferLogs: true });
  context.useLogger(context.get(Logger));
  return context;
}
