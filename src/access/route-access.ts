import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Principal } from './identity/principal';
import { Action, Gate } from './permissions';

export const ROUTE_ACCESS = 'ledger:route-access';

/** What a route needs: an action of the permissions table in the path's alliance, or a gate. */
export type RouteAccess = { gate: Gate } | { action: Action; partnerParam?: string };

/** The route acts in `:allianceId` and needs `action` (for the partner in `partnerParam`, if given). */
export const Allow = (action: Action, options: { partnerParam?: string } = {}) => SetMetadata(ROUTE_ACCESS, { action, ...options } satisfies RouteAccess);
/** No credentials needed: health, sign-in. */
export const Public = () => SetMetadata(ROUTE_ACCESS, { gate: 'public' } satisfies RouteAccess);
/** Any signed-in subject; what they then see is scoped to their alliances. */
export const SignedIn = () => SetMetadata(ROUTE_ACCESS, { gate: 'signed-in' } satisfies RouteAccess);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; csrfToken?: string };

/** The signed-in caller, as the guard found them. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Caller used on a route the access guard did not authenticate');
  return principal;
});
