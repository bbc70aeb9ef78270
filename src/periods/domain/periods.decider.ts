import { assertNever, Decider } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { addDays, checkPeriodDates } from './period-dates';
import { approveClose, closeAtOnce, proposeClose, rejectClose } from './period-closing';
import { PeriodEvent } from './periods.events';
import { CommandOf, findPeriod, latestPeriod, PeriodEntry, PeriodsCommand, PeriodsState, requirePeriod } from './periods.state';

export * from './periods.state';

export const periodsDecider: Decider<PeriodsCommand, PeriodEvent, PeriodsState> = {
  initialState: () => ({ periods: [] }),

  evolve(state, event) {
    const update = (periodId: string, change: Partial<PeriodEntry>) => ({
      periods: state.periods.map((period) => (period.periodId === periodId ? { ...period, ...change } : period)),
    });
    switch (event.type) {
      case 'PeriodOpened': {
        const { periodId, startDate, endDate, sequence } = event.data;
        return { periods: [...state.periods, { periodId, startDate, endDate, sequence, status: 'open', proposal: null }] };
      }
      case 'PeriodClosed':
        return update(event.data.periodId, { status: 'closed', proposal: null });
      case 'PeriodCancelled':
        return update(event.data.periodId, { status: 'cancelled', proposal: null });
      case 'PeriodCloseProposed': {
        const { allianceId: _allianceId, periodId, ...proposal } = event.data;
        return update(periodId, { proposal });
      }
      case 'PeriodCloseRejected':
        return update(event.data.periodId, { proposal: null });
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'OpenPeriod':
        return openPeriod(command, state);
      case 'CancelPeriod':
        return cancelPeriod(command, state);
      case 'ClosePeriod':
        return closeAtOnce(command, state);
      case 'ProposePeriodClose':
        return proposeClose(command, state);
      case 'ApprovePeriodClose':
        return approveClose(command, state);
      case 'RejectPeriodClose':
        return rejectClose(command, state);
      default:
        return assertNever(command);
    }
  },
};

function openPeriod(command: CommandOf<'OpenPeriod'>, state: PeriodsState): PeriodEvent[] {
  if (!command.allianceFormed) throw notFound('alliance_not_found', 'allianceId', `alliance ${command.allianceId} has not been formed`);
  const existing = findPeriod(state, command.periodId);
  if (existing?.status === 'cancelled') {
    throw conflict('period_cancelled', 'periodId', `period ${command.periodId} was cancelled; a period id is not used again, so choose another`);
  }
  if (existing) {
    if (existing.startDate === command.startDate && existing.endDate === command.endDate) return [];
    throw conflict('period_conflict', 'periodId', `period ${command.periodId} is already open with dates ${existing.startDate} to ${existing.endDate}`);
  }
  checkPeriodDates(command.startDate, command.endDate, command.today);
  const latest = latestPeriod(state);
  if (latest) {
    if (command.startDate <= latest.endDate) {
      throw conflict('period_out_of_order', 'startDate', `must be after the end of period ${latest.periodId} (${latest.endDate}); periods open in order`);
    }
    const expected = addDays(latest.endDate, 1);
    if (command.startDate !== expected && !command.allowGap) {
      throw conflict(
        'period_gap',
        'startDate',
        `must be ${expected}, the day after period ${latest.periodId} ends; to leave a gap from ${expected} to ${addDays(command.startDate, -1)}, send allowGap: true`,
      );
    }
  }
  const { allianceId, periodId, startDate, endDate } = command;
  // Sequences count every period ever opened, cancelled ones included, so a number names one period.
  return [{ type: 'PeriodOpened', data: { allianceId, periodId, startDate, endDate, sequence: state.periods.length + 1 } }];
}

function cancelPeriod(command: CommandOf<'CancelPeriod'>, state: PeriodsState): PeriodEvent[] {
  const period = requirePeriod(state, command.periodId);
  if (period.status === 'cancelled') return [];
  if (period.status === 'closed') throw conflict('period_closed', 'periodId', `period ${period.periodId} is closed; a certified period cannot be cancelled`);
  const latest = latestPeriod(state)!;
  if (latest.periodId !== period.periodId) {
    throw conflict('period_not_latest', 'periodId', `only the latest period (${latest.periodId}) can be cancelled; cancel it first`);
  }
  if (command.factsRecorded > 0) {
    throw conflict(
      'period_has_facts',
      'periodId',
      `${command.factsRecorded} fact${command.factsRecorded === 1 ? ' names' : 's name'} period ${period.periodId}; only a period without facts can be cancelled (correct facts with reversals)`,
    );
  }
  return [{ type: 'PeriodCancelled', data: { allianceId: command.allianceId, periodId: command.periodId, reason: command.reason } }];
}
