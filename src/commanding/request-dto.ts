import { ApiProperty } from '@nestjs/swagger';
import { IsLedgerId } from '../shared/validation';

/** Every command names its alliance; over HTTP it comes from the path, in an import from the URL. */
export class AllianceScopedRequest {
  @ApiProperty({ example: 'smart-motorways', description: 'Taken from the path over HTTP' })
  @IsLedgerId()
  allianceId: string;
}

export class PeriodFactRequest extends AllianceScopedRequest {
  @ApiProperty({ example: '2026-Q1', description: 'The open period the fact is recorded in' })
  @IsLedgerId()
  periodId: string;
}

export function optional<T>(value: T | undefined | null): T | null {
  return value === undefined ? null : value;
}
