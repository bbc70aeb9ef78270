import { PeriodSummary } from '../../src/settlement/domain/summary.types';

/** The spec's worked example, to the penny, as the summary of its one period. */
export function workedExampleSummary(allianceId: string, status: 'provisional' | 'certified'): PeriodSummary {
  return {
    allianceId,
    periodId: '2026-Q1',
    status,
    cost: {
      target: '520000000.00',
      outturn: '494000000.00',
      variance: '26000000.00',
      ratio: '0.950000',
      partnersShare: '13000000.00',
      ownerShare: '13000000.00',
      capApplied: null,
      partnersShareThisPeriod: '13000000.00',
      previousPartnersShare: '0.00',
    },
    performance: {
      score: '37.5000',
      gated: false,
      amount: '2250000.00',
      missingKpis: [],
      weightsTotal: '1',
      kpis: [
        { kpiId: 'afr', name: 'Accident frequency rate', unit: 'per 100,000 hours', value: '0.080000', score: '70.0000', weight: '0.30', gate: true },
        { kpiId: 'lane-metre-days', name: 'Lane-metre-days', unit: '% of plan', value: '90.000000', score: '50.0000', weight: '0.25', gate: false },
        { kpiId: 'milestones', name: 'Milestones met', unit: '%', value: '85.000000', score: '-50.0000', weight: '0.20', gate: false },
        { kpiId: 'carbon', name: 'Carbon cut', unit: '%', value: '20.000000', score: '50.0000', weight: '0.10', gate: false },
        { kpiId: 'apprentices', name: 'Apprentice starts', unit: '% of target', value: '130.000000', score: '60.0000', weight: '0.15', gate: false },
      ],
    },
    partners: [
      { partnerId: 'P', costShare: '1300000.00', performance: '225000.00', total: '1525000.00' },
      { partnerId: 'D1', costShare: '1950000.00', performance: '337500.00', total: '2287500.00' },
      { partnerId: 'D2', costShare: '1950000.00', performance: '337500.00', total: '2287500.00' },
      { partnerId: 'S1', costShare: '2600000.00', performance: '450000.00', total: '3050000.00' },
      { partnerId: 'S2', costShare: '2600000.00', performance: '450000.00', total: '3050000.00' },
      { partnerId: 'S3', costShare: '2600000.00', performance: '450000.00', total: '3050000.00' },
    ],
  };
}
