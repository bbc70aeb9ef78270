import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { AllianceScopedRequest, optional } from '../../commanding/request-dto';
import { streamNames } from '../../shared/stream-names';
import { IsDecimalText, IsLedgerId, IsMoney, IsText } from '../../shared/validation';
import { allianceDecider } from '../domain/alliance.decider';

export class PartnerTermsRequest {
  @ApiProperty({ example: 'P' })
  @IsLedgerId()
  partnerId: string;

  @ApiProperty({ example: 'Production management partner' })
  @IsText(200)
  name: string;

  @ApiProperty({ example: 'production-management', description: 'Free text: roles are configuration' })
  @IsText(100)
  role: string;

  @ApiProperty({ example: '0.10', description: 'Share of every allocated amount; all partners’ shares sum to exactly 1' })
  @IsDecimalText({ sign: 'non-negative', max: '1' })
  allocationShare: string;

  @ApiProperty({ example: '5000000.00' })
  @IsMoney('non-negative')
  feeAtRisk: string;
}

export class ShareBandRequest {
  @ApiProperty({ example: '0.9', description: 'Lower bound of R = outturn / target (inclusive)' })
  @IsDecimalText({ sign: 'non-negative' })
  from: string;

  @ApiPropertyOptional({ example: '1.1', nullable: true, description: 'Upper bound (exclusive); omitted for the last, open-ended band' })
  @IsOptional()
  @IsDecimalText({ sign: 'positive' })
  to?: string | null;

  @ApiProperty({ example: '0.5', description: 'Partners’ share of the variance inside the band' })
  @IsDecimalText({ sign: 'non-negative', max: '1' })
  share: string;
}

export class FormAllianceRequest extends AllianceScopedRequest {
  @ApiProperty({ example: 'Smart Motorway Alliance' })
  @IsText(200)
  name: string;

  @ApiProperty({ example: 'National Highways' })
  @IsText(200)
  owner: string;

  @ApiProperty({ type: [PartnerTermsRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartnerTermsRequest)
  partners: PartnerTermsRequest[];

  @ApiProperty({ type: [ShareBandRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ShareBandRequest)
  shareBands: ShareBandRequest[];

  @ApiPropertyOptional({ example: '30000000.00', description: 'Default: the sum of the partners’ fees at risk' })
  @IsOptional()
  @IsMoney('non-negative')
  painCap?: string | null;

  @ApiPropertyOptional({ example: null, nullable: true, description: 'Default: no cap on the gain' })
  @IsOptional()
  @IsMoney('non-negative')
  gainCap?: string | null;

  @ApiProperty({ example: '6000000.00', description: 'Performance amount at a score of +100, per period' })
  @IsMoney('non-negative')
  rewardPoolMax: string;

  @ApiProperty({ example: '6000000.00', description: 'Performance liability at a score of −100, per period' })
  @IsMoney('non-negative')
  liabilityMax: string;

  @ApiPropertyOptional({
    enum: [1, 2],
    example: 2,
    description: 'People needed to close a period: 1 (ClosePeriod certifies at once) or 2 (ProposePeriodClose, then ApprovePeriodClose by someone else). Default 2',
  })
  @IsOptional()
  @IsIn([1, 2], { message: 'must be 1 or 2' })
  closeApprovals?: 1 | 2;
}

export const formAlliance = defineCommand({
  name: 'FormAlliance',
  dto: FormAllianceRequest,
  decider: allianceDecider,
  changesContext: true,
  stream: (request) => streamNames.alliance(request.allianceId),
  toCommand: (request) => ({
    type: 'FormAlliance' as const,
    terms: {
      allianceId: request.allianceId,
      name: request.name,
      owner: request.owner,
      partners: request.partners.map(({ partnerId, name, role, allocationShare, feeAtRisk }) => ({ partnerId, name, role, allocationShare, feeAtRisk })),
      shareBands: request.shareBands.map(({ from, to, share }) => ({ from, to: optional(to), share })),
      painCap: optional(request.painCap),
      gainCap: optional(request.gainCap),
      rewardPoolMax: request.rewardPoolMax,
      liabilityMax: request.liabilityMax,
      closeApprovals: request.closeApprovals,
    },
  }),
});
