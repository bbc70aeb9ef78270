import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppModule, AppOptions } from '../app.module';
import { AppConfig } from '../config/app-config';
import { HTTP_LIMITS, HttpEdgeMiddleware } from './http-edge.middleware';

/**
 * The HTTP service: the application behind the edge checks. The middleware runs after the
 * request logger (a global module's middleware comes first) so refusals are logged with their
 * request id, and its refusals reach the one exception filter.
 */
@Module({})
export class HttpEdgeModule implements NestModule {
  static forRoot(config: AppConfig, options: AppOptions): DynamicModule {
    return { module: HttpEdgeModule, imports: [AppModule.forRoot(config, options)], providers: [{ provide: HTTP_LIMITS, useValue: config.http }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpEdgeMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
