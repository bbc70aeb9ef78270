import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requestPath } from '../http/request-path';
import { forbidden } from '../shared/domain-error';
import { AccessControl } from './access-control';
import { AUTHENTICATOR, Authenticator } from './identity/authenticator';
import { AuthenticatedRequest, ROUTE_ACCESS, RouteAccess } from './route-access';

/**
 * The one guard every route passes: it finds the caller and checks the route's entry in the
 * permissions table against the roles the ledger recorded. A route with no entry is refused.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    private readonly access: AccessControl,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const route = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    if (!route) {
      this.logger.error(`${request.method} ${request.routeOptions.url ?? requestPath(request)} has no entry in the permissions table; refused`);
      throw forbidden('forbidden', 'route', 'has no entry in the permissions table');
    }
    if ('gate' in route && route.gate === 'public') return true;
    request.principal = await this.authenticator.authenticate(request);
    if ('gate' in route) return true;
    const params = request.params as Record<string, string | undefined>;
    await this.access.authorize(request.principal, {
      action: route.action,
      allianceId: params.allianceId ?? '',
      partnerId: route.partnerParam ? (params[route.partnerParam] ?? null) : null,
    });
    return true;
  }
}
