import { grantRole } from '../access/commands/grant-role';
import { revokeRole } from '../access/commands/revoke-role';
import { Injectable } from '@nestjs/common';
import { defineKpi } from '../alliance/commands/define-kpi';
import { formAlliance } from '../alliance/commands/form-alliance';
import { recordKpiMeasurement } from '../performance/commands/record-kpi-measurement';
import { approvePeriodClose } from '../periods/commands/approve-period-close';
import { cancelPeriod } from '../periods/commands/cancel-period';
import { closePeriod } from '../periods/commands/close-period';
import { openPeriod } from '../periods/commands/open-period';
import { proposePeriodClose } from '../periods/commands/propose-period-close';
import { rejectPeriodClose } from '../periods/commands/reject-period-close';
import { recordHoursWorked } from '../safety/commands/record-hours-worked';
import { reportSafetyIncident } from '../safety/commands/report-safety-incident';
import { completeScheme } from '../schemes/commands/complete-scheme';
import { recordSiteDates } from '../schemes/commands/record-site-dates';
import { disallowCost } from '../schemes/commands/disallow-cost';
import { implementCompensationEvent } from '../schemes/commands/implement-compensation-event';
import { recordDefinedCost } from '../schemes/commands/record-defined-cost';
import { registerScheme } from '../schemes/commands/register-scheme';
import { reverseCompensationEvent } from '../schemes/commands/reverse-compensation-event';
import { reverseDefinedCost } from '../schemes/commands/reverse-defined-cost';
import { setTargetBaseline } from '../schemes/commands/set-target-baseline';
import { invalid } from '../shared/domain-error';
import { acknowledgeStatement } from '../statements/commands/acknowledge-statement';
import { disputeStatement } from '../statements/commands/dispute-statement';
import { AnyCommandDefinition } from './command-definition';

/** Every command of the incentive model, by the name used in imports and on the command bus. */
export const COMMAND_DEFINITIONS: readonly AnyCommandDefinition[] = [
  formAlliance,
  defineKpi,
  openPeriod,
  cancelPeriod,
  closePeriod,
  proposePeriodClose,
  approvePeriodClose,
  rejectPeriodClose,
  registerScheme,
  setTargetBaseline,
  implementCompensationEvent,
  reverseCompensationEvent,
  recordDefinedCost,
  disallowCost,
  reverseDefinedCost,
  completeScheme,
  recordSiteDates,
  reportSafetyIncident,
  recordHoursWorked,
  recordKpiMeasurement,
  grantRole,
  revokeRole,
  acknowledgeStatement,
  disputeStatement,
];

@Injectable()
export class CommandCatalogue {
  private readonly byName = new Map(COMMAND_DEFINITIONS.map((definition) => [definition.name, definition]));

  get(name: unknown, field = 'command'): AnyCommandDefinition {
    const definition = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (!definition) throw invalid(field, `must be one of ${[...this.byName.keys()].join(', ')}`, 'unknown_command');
    return definition;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
