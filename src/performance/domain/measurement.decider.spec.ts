import { kpiDefined } from '../../../test/support/alliance-fixtures';
import { deciderSpec } from '../../../test/support/decider-spec';
import { PeriodLookup } from '../../periods/domain/periods.decider';
import { measurementDecider, RecordKpiMeasurementCommand } from './measurement.decider';
import { KpiMeasurementRecorded } from './measurement.events';

const spec = deciderSpec(measurementDecider);
const open: PeriodLookup = { periodId: '2026-Q1', status: 'open' };
const milestones = kpiDefined('milestones').data;
const measure = (value: string, overrides: Partial<RecordKpiMeasurementCommand> = {}): RecordKpiMeasurementCommand => ({
  type: 'RecordKpiMeasurement',
  allianceId: 'sma',
  kpiId: 'milestones',
  value,
  period: open,
  kpi: milestones,
  ...overrides,
});
const recorded = (value: string, previousValue: string | null): KpiMeasurementRecorded => ({
  type: 'KpiMeasurementRecorded',
  data: { allianceId: 'sma', periodId: '2026-Q1', kpiId: 'milestones', value, previousValue },
});

describe('measurement decider', () => {
  it('records a measurement', () => spec.given([]).when(measure('85')).then([recorded('85', null)]));
  it('replaces an earlier measurement, noting the value it replaces', () => spec.given([recorded('85', null)]).when(measure('88')).then([recorded('88', '85')]));
  it('accepts an equal value again without a new event', () => spec.given([recorded('85', null)]).when(measure('85.0')).thenNothing());
  it('refuses an unknown KPI', () => spec.given([]).when(measure('1', { kpi: undefined, kpiId: 'nope' })).thenRefused('kpi_not_found', 'kpiId'));
  it('refuses a measurement of a derived (AFR) KPI', () =>
    spec.given([]).when(measure('0.1', { kpi: kpiDefined('afr', { source: 'afr' }).data, kpiId: 'afr' })).thenRefused('kpi_is_derived', 'kpiId'));
  it('refuses a closed period', () => spec.given([]).when(measure('85', { period: { periodId: '2025-Q4', status: 'closed' } })).thenRefused('period_closed', 'periodId'));
  describe('a KPI with bounds', () => {
    const percentage = kpiDefined('milestones', { min: '0', max: '100' }).data;
    it('takes values at each bound', () => {
      spec.given([]).when(measure('0', { kpi: percentage })).then([recorded('0', null)]);
      spec.given([]).when(measure('100', { kpi: percentage })).then([recorded('100', null)]);
    });
    it('refuses a value outside them, naming the bound', () => {
      spec.given([]).when(measure('-0.5', { kpi: percentage })).thenRefused('invalid_command', 'value', /at least 0, the lowest value KPI milestones takes/);
      spec.given([]).when(measure('100.000001', { kpi: percentage })).thenRefused('invalid_command', 'value', /at most 100/);
    });
    it('bounds nothing for a KPI defined without them', () => spec.given([]).when(measure('-5')).then([recorded('-5', null)]));
  });
});
