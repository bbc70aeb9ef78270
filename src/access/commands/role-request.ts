import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AllianceContext } from '../../commanding/command-definition';
import { AllianceScopedRequest, optional } from '../../commanding/request-dto';
import { IsLedgerId, IsSubject } from '../../shared/validation';
import { ROLES, Role } from '../domain/roles';

export class RoleRequest extends AllianceScopedRequest {
  @ApiProperty({ example: 'jo.bloggs@delivery-partner-1.example', description: 'The identity (the token’s `sub`) the role is for' })
  @IsSubject()
  subject: string;

  @ApiProperty({ enum: ROLES, example: 'partner' })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ example: 'S1', description: 'Required for the partner role: the partner whose statements the subject reads and signs' })
  @IsOptional()
  @IsLedgerId()
  partnerId?: string;
}

export function roleCommand(request: RoleRequest, context: AllianceContext, actor: string) {
  const alliance = context.alliance;
  return {
    allianceId: request.allianceId,
    subject: request.subject,
    role: request.role,
    partnerId: optional(request.partnerId),
    actor,
    allianceFormed: alliance.status === 'formed',
    partnerIds: alliance.status === 'formed' ? alliance.terms.partners.map((partner) => partner.partnerId) : [],
  };
}
