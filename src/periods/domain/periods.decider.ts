import { assertNever, Decider } from '../../shared/decider';
import { conflict, DomainError, invalid, notFound } from '../../shared/domain-error';
import { PeriodCertificate } from '../../settlement/domain/summary.types';
import { PeriodEvent } from './periods.events';

export interface PeriodEntry {
  periodId: string;
  startDate: string;
  endDate: string;
  sequence: number;
  status: 'open' | 'closed';
}

export interface PeriodsState {
  periods: readonly PeriodEntry[];
}

export type PeriodsCommand =
  | { type: 'OpenPeriod'; allianceId: string; periodId: string; startDate: string; endDate: string; allianceFormed: boolean }
  | {
      type: 'ClosePeriod';
      allianceId: string;
      periodId: string;
      certificate: PeriodCertificate;
    };

export const periodsDecider: Decider<PeriodsCommand, PeriodEvent, PeriodsState> = {
  initialState: () => ({ periods: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'PeriodOpened': {
        const { periodId, startDate, endDate, sequence } = event.data;
        return { periods: [...state.periods, { periodId, startDate, endDate, sequence, status: 'open' }] };
      }
      case 'PeriodClosed':
        return {
          periods: state.periods.map((period) => (period.periodId === event.data.periodId ? { ...period, status: 'closed' } : period)),
        };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'OpenPeriod': {
        if (!command.allianceFormed) throw notFound('alliance_not_found', 'allianceId', `alliance ${command.allianceId} has not been formed`);
        const existing = findPeriod(state, command.periodId);
        if (existing) {
          if (existing.startDate === command.startDate && existing.endDate === command.endDate) return [];
          throw conflict('period_conflict', 'periodId', `period ${command.periodId} is already open with dates ${existing.startDate} to ${existing.endDate}`);
        }
        if (command.endDate < command.startDate) throw invalid('endDate', `must not be before startDate (${command.startDate})`);
        const latest = state.periods[state.periods.length - 1];
        if (latest && command.startDate <= latest.endDate) {
          throw conflict('period_out_of_order', 'startDate', `must be after the end of period ${latest.periodId} (${latest.endDate}); periods open in order`);
        }
        return [
          {
            type: 'PeriodOpened',
            data: {
              allianceId: command.allianceId,
              periodId: command.periodId,
              startDate: command.startDate,
              endDate: command.endDate,
              sequence: state.periods.length + 1,
            },
          },
        ];
      }
      case 'ClosePeriod': {
        const period = requirePeriod(state, command.periodId);
        if (period.status === 'closed') return [];
        const earlierOpen = state.periods.find((candidate) => candidate.sequence < period.sequence && candidate.status === 'open');
        if (earlierOpen) throw conflict('period_close_out_of_order', 'periodId', `period ${earlierOpen.periodId} must be closed first; periods close in order`);
        const { performance } = command.certificate.summary;
        if (performance.missingKpis.length > 0) {
          throw new DomainError(
            'kpi_values_missing',
            'conflict',
            `period ${command.periodId} cannot close: no value for KPI ${performance.missingKpis.join(', ')}`,
            performance.missingKpis.map((kpiId) => ({ field: `kpis.${kpiId}`, reason: 'has no value for the period' })),
          );
        }
        if (performance.weightsTotal !== '1') {
          throw conflict('kpi_weights_incomplete', 'kpis', `KPI weights sum to ${performance.weightsTotal}; they must sum to exactly 1 before a period can close`);
        }
        return [
          {
            type: 'PeriodClosed',
            data: { allianceId: command.allianceId, periodId: command.periodId, certificate: command.certificate },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export function findPeriod(state: PeriodsState, periodId: string): PeriodEntry | undefined {
  return state.periods.find((period) => period.periodId === periodId);
}

function requirePeriod(state: PeriodsState, periodId: string): PeriodEntry {
  const period = findPeriod(state, periodId);
  if (!period) throw notFound('period_not_found', 'periodId', `period ${periodId} has not been opened`);
  return period;
}

/** How a fact's period stands, looked up by the handler and passed to the deciders. */
export interface PeriodLookup {
  periodId: string;
  status: 'open' | 'closed' | 'unknown';
}

export function lookupPeriod(state: PeriodsState, periodId: string): PeriodLookup {
  return { periodId, status: findPeriod(state, periodId)?.status ?? 'unknown' };
}

/** Every fact names an open period; a closed period takes no more facts. */
export function requireOpenPeriod(period: PeriodLookup): void {
  if (period.status === 'unknown') throw notFound('period_not_found', 'periodId', `period ${period.periodId} has not been opened`);
  if (period.status === 'closed') throw conflict('period_closed', 'periodId', `period ${period.periodId} is closed and takes no more facts`);
}
