import { defineCommand } from '../../commanding/command-definition';
import { schemeDecider } from '../domain/scheme.decider';
import { schemeFact, SchemeFactRequest, schemeStream } from './scheme-request';

export class CompleteSchemeRequest extends SchemeFactRequest {}

/** From its completion period on, the scheme's target and outturn count in the alliance's pool. */
export const completeScheme = defineCommand({
  name: 'CompleteScheme',
  dto: CompleteSchemeRequest,
  decider: schemeDecider,
  stream: schemeStream,
  toCommand: (request, context) => ({ type: 'CompleteScheme' as const, ...schemeFact(request, context) }),
});
