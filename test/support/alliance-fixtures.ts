import { AllianceFormed, KpiDefined } from '../../src/alliance/domain/alliance.events';
import { FormAllianceTerms } from '../../src/alliance/domain/alliance.decider';
import { PeriodClosed, PeriodOpened } from '../../src/periods/domain/periods.events';

/** The spec's worked-example alliance, as formation terms. */
export function workedExampleTerms(overrides: Partial<FormAllianceTerms> = {}): FormAllianceTerms {
  return {
    allianceId: 'sma',
    name: 'Smart Motorway Alliance',
    owner: 'National Highways',
    partners: [
      { partnerId: 'P', name: 'Production', role: 'production-management', allocationShare: '0.10', feeAtRisk: '3000000.00' },
      { partnerId: 'D1', name: 'Design 1', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
      { partnerId: 'D2', name: 'Design 2', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
      { partnerId: 'S1', name: 'Delivery 1', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
      { partnerId: 'S2', name: 'Delivery 2', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
      { partnerId: 'S3', name: 'Delivery 3', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
    ],
    shareBands: [
      { from: '0', to: '0.9', share: '0.25' },
      { from: '0.9', to: '1.1', share: '0.5' },
      { from: '1.1', to: null, share: '0.75' },
    ],
    painCap: '30000000.00',
    gainCap: null,
    rewardPoolMax: '6000000.00',
    liabilityMax: '6000000.00',
    ...overrides,
  };
}

export function allianceFormed(overrides: Partial<FormAllianceTerms> = {}): AllianceFormed {
  const terms = workedExampleTerms(overrides);
  return {
    type: 'AllianceFormed',
    data: {
      ...terms,
      painCap: terms.painCap ?? '30000000.00',
      closeApprovals: terms.closeApprovals ?? 2,
    },
  };
}

export function kpiDefined(kpiId: string, overrides: Partial<KpiDefined['data']> = {}): KpiDefined {
  return {
    type: 'KpiDefined',
    data: {
      allianceId: 'sma',
      kpiId,
      name: kpiId,
      unit: '%',
      source: 'measured',
      poor: '80',
      mcos: '90',
      outstanding: '100',
      weight: '0.2',
      gate: false,
      direction: 'higher-is-better',
      min: null,
      max: null,
      ...overrides,
    },
  };
}

export function periodOpened(periodId: string, sequence: number, startDate: string, endDate: string): PeriodOpened {
  return { type: 'PeriodOpened', data: { allianceId: 'sma', periodId, startDate, endDate, sequence } };
}

export function periodClosed(periodId: string): PeriodClosed {
  return {
    type: 'PeriodClosed',
    data: {
      allianceId: 'sma',
      periodId,
      certificate: {
        certifiedAt: '2026-04-02T00:00:00.000Z',
        summary: {} as PeriodClosed['data']['certificate']['summary'],
        inputs: { digest: 'sha256:0', eventCount: 0, upToPosition: null },
        proposedBy: 'commercial-manager',
        approvedBy: null,
      },
    },
  };
}
