import { PeriodLookup } from '../../periods/domain/periods.decider';
import { assertNever, Decider } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { SignOff, signOffOf, StatementEvent } from './statements.events';

/** The latest sign-off by period, then partner. Maps are updated in place. */
export interface StatementsState {
  signOffs: Map<string, Map<string, SignOff>>;
}

interface SignOffCommand {
  allianceId: string;
  partnerId: string;
  /** Whether `partnerId` names one of the alliance's partners. */
  partnerKnown: boolean;
  /** A statement can be signed once its period is closed, that is certified. */
  period: PeriodLookup;
  by: string;
  at: string;
}

export type StatementCommand = (SignOffCommand & { type: 'AcknowledgeStatement' }) | (SignOffCommand & { type: 'DisputeStatement'; reason: string });

/**
 * Partners acknowledge or dispute their certified statements. The latest sign-off stands, so a
 * partner may acknowledge after disputing and the reverse; saying the same again records nothing.
 * Who may sign for a partner is the access guard's rule, not this decider's.
 */
export const statementsDecider: Decider<StatementCommand, StatementEvent, StatementsState> = {
  initialState: () => ({ signOffs: new Map() }),

  evolve(state, event) {
    const { periodId, partnerId } = event.data;
    const period = state.signOffs.get(periodId) ?? new Map<string, SignOff>();
    period.set(partnerId, signOffOf(event));
    state.signOffs.set(periodId, period);
    return state;
  },

  decide(command, state) {
    const { allianceId, partnerId, period, by, at } = command;
    if (!command.partnerKnown) throw notFound('partner_not_found', 'partnerId', `${partnerId} is not a partner of alliance ${allianceId}`);
    if (period.status === 'unknown') throw notFound('period_not_found', 'periodId', `period ${period.periodId} has not been opened`);
    if (period.status === 'open') {
      throw conflict('period_not_certified', 'periodId', `period ${period.periodId} is still open; a statement can be signed once its period is closed and certified`);
    }
    const latest = state.signOffs.get(period.periodId)?.get(partnerId);
    const fact = { allianceId, periodId: period.periodId, partnerId, by, at };
    switch (command.type) {
      case 'AcknowledgeStatement':
        if (latest?.status === 'acknowledged') return [];
        return [{ type: 'StatementAcknowledged', data: fact }];
      case 'DisputeStatement':
        if (latest?.status === 'disputed' && latest.reason === command.reason) return [];
        return [{ type: 'StatementDisputed', data: { ...fact, reason: command.reason } }];
      default:
        return assertNever(command);
    }
  },
};
