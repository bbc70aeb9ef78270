import { KpiDefinition } from '../../alliance/domain/alliance.events';
import { Decider } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';
import { Fraction } from '../../shared/fraction';
import { PeriodLookup, requireOpenPeriod } from '../../periods/domain/periods.decider';
import { MeasurementEvent } from './measurement.events';

export interface MeasurementState {
  /** Current value by `periodId` then `kpiId`. */
  values: Map<string, Map<string, string>>;
}

export interface RecordKpiMeasurementCommand {
  type: 'RecordKpiMeasurement';
  allianceId: string;
  kpiId: string;
  value: string;
  period: PeriodLookup;
  /** The KPI's definition, or undefined when the alliance defines no such KPI. */
  kpi: KpiDefinition | undefined;
}

export const measurementDecider: Decider<RecordKpiMeasurementCommand, MeasurementEvent, MeasurementState> = {
  initialState: () => ({ values: new Map() }),

  evolve(state, event) {
    const { periodId, kpiId, value } = event.data;
    const period = state.values.get(periodId) ?? new Map<string, string>();
    period.set(kpiId, value);
    state.values.set(periodId, period);
    return state;
  },

  decide(command, state) {
    const { kpi, kpiId, period } = command;
    if (!kpi) throw notFound('kpi_not_found', 'kpiId', `KPI ${kpiId} is not defined for alliance ${command.allianceId}`);
    if (kpi.source === 'afr') {
      throw conflict('kpi_is_derived', 'kpiId', `KPI ${kpiId} is derived from safety incidents and hours worked; record those instead`);
    }
    if (kpi.source === 'time-on-site') {
      throw conflict('kpi_is_derived', 'kpiId', `KPI ${kpiId} is derived from the schemes' site dates; record those instead (RecordSiteDates)`);
    }
    const previous = state.values.get(period.periodId)?.get(kpiId) ?? null;
    const value = Fraction.fromDecimal(command.value);
    if (previous !== null && Fraction.fromDecimal(previous).eq(value)) return [];
    requireOpenPeriod(period);
    if (kpi.min !== null && value.lt(Fraction.fromDecimal(kpi.min))) throw invalid('value', `must be at least ${kpi.min}, the lowest value KPI ${kpiId} takes`);
    if (kpi.max !== null && value.gt(Fraction.fromDecimal(kpi.max))) throw invalid('value', `must be at most ${kpi.max}, the highest value KPI ${kpiId} takes`);
    return [
      {
        type: 'KpiMeasurementRecorded',
        data: { allianceId: command.allianceId, periodId: period.periodId, kpiId, value: command.value, previousValue: previous },
      },
    ];
  },
};
