import { ApiProperty } from '@nestjs/swagger';
import { defineCommand } from '../../commanding/command-definition';
import { IsText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { SchemeRequest, schemeStream } from './scheme-request';

export class RegisterSchemeRequest extends SchemeRequest {
  @ApiProperty({ example: 'M6 J21a–26 smart motorway' })
  @IsText(200)
  name: string;
}

export const registerScheme = defineCommand({
  name: 'RegisterScheme',
  dto: RegisterSchemeRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'RegisterScheme' as const,
    allianceId: request.allianceId,
    schemeId: request.schemeId,
    name: request.name,
    allianceFormed: context.alliance.status === 'formed',
  }),
});
