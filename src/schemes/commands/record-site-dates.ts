import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { defineCommand } from '../../commanding/command-definition';
import { IsIsoDateText } from '../../shared/validation';
import { schemeDecider } from '../domain/scheme.decider';
import { SITE_DATE_FIELDS, SiteDates } from '../domain/site-dates';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

const described = (what: string) => ({ example: '2026-02-02', nullable: true, description: `${what}; omitted: unchanged, null: cleared` });

export class RecordSiteDatesRequest extends SchemeFactRequest {
  @ApiPropertyOptional(described('When work was planned to start on site'))
  @IsOptional()
  @IsIsoDateText()
  plannedStart?: string | null;

  @ApiPropertyOptional(described('When the road was planned to reopen'))
  @IsOptional()
  @IsIsoDateText()
  plannedReopen?: string | null;

  @ApiPropertyOptional(described('When work started on site'))
  @IsOptional()
  @IsIsoDateText()
  actualStart?: string | null;

  @ApiPropertyOptional(described('When the road reopened'))
  @IsOptional()
  @IsIsoDateText()
  actualReopen?: string | null;
}

/** Time on site: the dates work started and the road reopened, planned and actual; a `time-on-site` KPI is derived from them. */
export const recordSiteDates = defineCommand({
  name: 'RecordSiteDates',
  dto: RecordSiteDatesRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({
    type: 'RecordSiteDates' as const,
    ...schemeFact(request, context),
    dates: Object.fromEntries(SITE_DATE_FIELDS.filter((field) => request[field] !== undefined).map((field) => [field, request[field]])) as Partial<SiteDates>,
  }),
});
