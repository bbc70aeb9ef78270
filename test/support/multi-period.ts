import { workedExampleTerms } from './alliance-fixtures';
import { ndjson } from './test-app';

const fact = (periodId: string) => ({ periodId });

/**
 * Three quarters, worked by hand (see the expectations in multi-period.e2e.spec.ts):
 *  Q1 scheme A (target 100m) completes at 90m: gain 5m. AFR 0.1, milestones 95: S 50, 3m.
 *  Q2 a late 5m cost on A, A-2 (30m) reversed and re-entered at 28m, B (target 50m) completes at
 *     65m: T 150m, A 158m, pain 4m, so −9m this period. A fatality gates the 4.5m performance.
 *  Q3 C (target 100m) completes at 160m: T 250m, A 318m, pain 44.75m capped at 30m.
 */
export const MULTI_PERIOD = {
  alliance: ndjson(
    {
      command: 'FormAlliance',
      data: {
        name: 'Three quarter alliance',
        owner: 'National Highways',
        partners: workedExampleTerms().partners,
        shareBands: workedExampleTerms().shareBands.map(({ from, to, share }) => (to === null ? { from, share } : { from, to, share })),
        rewardPoolMax: '6000000.00',
        liabilityMax: '6000000.00',
        // These tests close each quarter with one ClosePeriod; four-eyes closing has its own tests.
        closeApprovals: 1,
      },
    },
    { command: 'DefineKpi', data: { kpiId: 'afr', name: 'AFR', unit: 'per 100,000 hours', source: 'afr', poor: '0.25', mcos: '0.15', outstanding: '0.05', weight: '0.5', gate: true } },
    { command: 'DefineKpi', data: { kpiId: 'milestones', name: 'Milestones', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '0.5', gate: false } },
  ),
  q1: ndjson(
    { command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } },
    { command: 'RegisterScheme', data: { schemeId: 'A', name: 'Scheme A' } },
    { command: 'SetTargetBaseline', data: { schemeId: 'A', ...fact('2026-Q1'), amount: '100000000.00' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'A', ...fact('2026-Q1'), costId: 'A-1', amount: '60000000.00' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'A', ...fact('2026-Q1'), costId: 'A-2', amount: '30000000.00' } },
    { command: 'CompleteScheme', data: { schemeId: 'A', ...fact('2026-Q1') } },
    { command: 'RegisterScheme', data: { schemeId: 'B', name: 'Scheme B' } },
    { command: 'SetTargetBaseline', data: { schemeId: 'B', ...fact('2026-Q1'), amount: '50000000.00' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'B', ...fact('2026-Q1'), costId: 'B-1', amount: '20000000.00' } },
    { command: 'RegisterScheme', data: { schemeId: 'C', name: 'Scheme C' } },
    { command: 'RecordHoursWorked', commandId: 'hours-q1', data: { ...fact('2026-Q1'), hours: '1000000' } },
    { command: 'ReportSafetyIncident', data: { ...fact('2026-Q1'), incidentId: 'INC-Q1-1', severity: 'riddor', partnerId: 'S1' } },
    { command: 'RecordKpiMeasurement', data: { ...fact('2026-Q1'), kpiId: 'milestones', value: '95' } },
  ),
  closeQ1: ndjson({ command: 'ClosePeriod', data: { periodId: '2026-Q1' } }),
  q2: ndjson(
    { command: 'OpenPeriod', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'A', ...fact('2026-Q2'), costId: 'A-3', amount: '5000000.00', description: 'Late final account' } },
    { command: 'ReverseDefinedCost', data: { schemeId: 'A', ...fact('2026-Q2'), costId: 'A-2', reason: 'Wrong amount' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'A', ...fact('2026-Q2'), costId: 'A-2R', amount: '28000000.00', description: 'A-2 corrected' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'B', ...fact('2026-Q2'), costId: 'B-2', amount: '45000000.00' } },
    { command: 'CompleteScheme', data: { schemeId: 'B', ...fact('2026-Q2') } },
    { command: 'RecordHoursWorked', commandId: 'hours-q2', data: { ...fact('2026-Q2'), hours: '1000000' } },
    { command: 'ReportSafetyIncident', data: { ...fact('2026-Q2'), incidentId: 'INC-Q2-F', severity: 'fatality', partnerId: 'S2' } },
    { command: 'RecordKpiMeasurement', data: { ...fact('2026-Q2'), kpiId: 'milestones', value: '100' } },
    { command: 'ClosePeriod', data: { periodId: '2026-Q2' } },
  ),
  q3: ndjson(
    { command: 'OpenPeriod', data: { periodId: '2026-Q3', startDate: '2026-07-01', endDate: '2026-09-30' } },
    { command: 'SetTargetBaseline', data: { schemeId: 'C', ...fact('2026-Q3'), amount: '100000000.00' } },
    { command: 'RecordDefinedCost', data: { schemeId: 'C', ...fact('2026-Q3'), costId: 'C-1', amount: '160000000.00' } },
    { command: 'CompleteScheme', data: { schemeId: 'C', ...fact('2026-Q3') } },
    { command: 'RecordHoursWorked', commandId: 'hours-q3', data: { ...fact('2026-Q3'), hours: '1000000' } },
    { command: 'RecordKpiMeasurement', data: { ...fact('2026-Q3'), kpiId: 'milestones', value: '85' } },
  ),
};

const lines = (p: [string, string, string], d: [string, string, string], s: [string, string, string]) =>
  [
    ['P', ...p],
    ['D1', ...d],
    ['D2', ...d],
    ['S1', ...s],
    ['S2', ...s],
    ['S3', ...s],
  ].map(([partnerId, costShare, performance, total]) => ({ partnerId, costShare, performance, total }));

const kpis = (afr: [string, string], milestones: [string, string]) => [
  { kpiId: 'afr', name: 'AFR', unit: 'per 100,000 hours', value: afr[0], score: afr[1], weight: '0.5', gate: true },
  { kpiId: 'milestones', name: 'Milestones', unit: '%', value: milestones[0], score: milestones[1], weight: '0.5', gate: false },
];

/** The figures worked out by hand for each quarter. */
export function multiPeriodExpected(allianceId: string) {
  return {
    '2026-Q1': {
      allianceId,
      periodId: '2026-Q1',
      status: 'certified',
      cost: {
        target: '100000000.00',
        outturn: '90000000.00',
        variance: '10000000.00',
        ratio: '0.900000',
        partnersShare: '5000000.00',
        ownerShare: '5000000.00',
        capApplied: null,
        partnersShareThisPeriod: '5000000.00',
        previousPartnersShare: '0.00',
      },
      performance: { score: '50.0000', gated: false, amount: '3000000.00', missingKpis: [], weightsTotal: '1', kpis: kpis(['0.100000', '50.0000'], ['95.000000', '50.0000']) },
      partners: lines(['500000.00', '300000.00', '800000.00'], ['750000.00', '450000.00', '1200000.00'], ['1000000.00', '600000.00', '1600000.00']),
    },
    '2026-Q2': {
      allianceId,
      periodId: '2026-Q2',
      status: 'certified',
      cost: {
        target: '150000000.00',
        outturn: '158000000.00',
        variance: '-8000000.00',
        ratio: '1.053333',
        partnersShare: '-4000000.00',
        ownerShare: '-4000000.00',
        capApplied: null,
        partnersShareThisPeriod: '-9000000.00',
        previousPartnersShare: '5000000.00',
      },
      performance: { score: '75.0000', gated: true, amount: '0.00', missingKpis: [], weightsTotal: '1', kpis: kpis(['0.100000', '50.0000'], ['100.000000', '100.0000']) },
      partners: lines(['-900000.00', '0.00', '-900000.00'], ['-1350000.00', '0.00', '-1350000.00'], ['-1800000.00', '0.00', '-1800000.00']),
    },
    '2026-Q3': {
      allianceId,
      periodId: '2026-Q3',
      status: 'provisional',
      cost: {
        target: '250000000.00',
        outturn: '318000000.00',
        variance: '-68000000.00',
        ratio: '1.272000',
        partnersShare: '-30000000.00',
        ownerShare: '-38000000.00',
        capApplied: 'pain',
        partnersShareThisPeriod: '-26000000.00',
        previousPartnersShare: '-4000000.00',
      },
      performance: { score: '25.0000', gated: false, amount: '1500000.00', missingKpis: [], weightsTotal: '1', kpis: kpis(['0.000000', '100.0000'], ['85.000000', '-50.0000']) },
      partners: lines(['-2600000.00', '150000.00', '-2450000.00'], ['-3900000.00', '225000.00', '-3675000.00'], ['-5200000.00', '300000.00', '-4900000.00']),
    },
  };
}
