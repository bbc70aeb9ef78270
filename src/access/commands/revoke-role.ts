import { defineCommand } from '../../commanding/command-definition';
import { streamNames } from '../../shared/stream-names';
import { accessDecider } from '../domain/access.decider';
import { roleCommand, RoleRequest } from './role-request';

export class RevokeRoleRequest extends RoleRequest {}

/** Takes a role away; the grant stays in the history. */
export const revokeRole = defineCommand({
  name: 'RevokeRole',
  dto: RevokeRoleRequest,
  decider: accessDecider,
  stream: (request) => streamNames.access(request.allianceId),
  toCommand: (request, context, _prepared, actor) => ({ type: 'RevokeRole' as const, ...roleCommand(request, context, actor) }),
});
