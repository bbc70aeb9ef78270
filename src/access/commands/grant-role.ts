import { defineCommand } from '../../commanding/command-definition';
import { streamNames } from '../../shared/stream-names';
import { accessDecider } from '../domain/access.decider';
import { roleCommand, RoleRequest } from './role-request';

export class GrantRoleRequest extends RoleRequest {}

/** Gives a subject a role in the alliance; recorded, so `asAt` shows who could do what at the time. */
export const grantRole = defineCommand({
  name: 'GrantRole',
  dto: GrantRoleRequest,
  decider: accessDecider,
  stream: (request) => streamNames.access(request.allianceId),
  toCommand: (request, context, _prepared, actor) => ({ type: 'GrantRole' as const, ...roleCommand(request, context, actor) }),
});
