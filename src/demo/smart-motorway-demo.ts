import { formatPence } from '../shared/money';

/**
 * A realistic Smart Motorway Alliance history, generated deterministically: six partners, thirty
 * schemes over twelve quarters, costs and compensation events, safety, lane closures, milestones,
 * carbon and skills. Early schemes underrun and later ones overrun, so statements show both gain
 * and pain (and the pain cap); one quarter has a fatality. Every line carries a command id, so
 * loading the demo twice records nothing the second time.
 */
export const DEMO_ALLIANCE_ID = 'smart-motorways';

export interface DemoLine {
  /** When the line is entered: the end of its quarter, so `asAt` shows the history unfolding. */
  at: string;
  line: string;
}

interface Quarter {
  periodId: string;
  startDate: string;
  endDate: string;
}

const QUARTERS: Quarter[] = [2024, 2025, 2026].flatMap((year) =>
  [
    ['Q1', '01-01', '03-31'],
    ['Q2', '04-01', '06-30'],
    ['Q3', '07-01', '09-30'],
    ['Q4', '10-01', '12-31'],
  ].map(([quarter, start, end]) => ({ periodId: `${year}-${quarter}`, startDate: `${year}-${start}`, endDate: `${year}-${end}` })),
);
/** The quarter still open: everything before it is certified. */
const OPEN_QUARTER = '2026-Q4';

const PARTNERS = [
  { partnerId: 'PMP', name: 'Production management partner', role: 'production-management', allocationShare: '0.10', feeAtRisk: '3000000.00' },
  { partnerId: 'DES1', name: 'Digitally enabled design partner 1', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
  { partnerId: 'DES2', name: 'Digitally enabled design partner 2', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
  { partnerId: 'DEL1', name: 'On-site delivery partner 1', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
  { partnerId: 'DEL2', name: 'On-site delivery partner 2', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
  { partnerId: 'DEL3', name: 'On-site delivery partner 3', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
];

const ROUTES = ['M1', 'M3', 'M4', 'M5', 'M6', 'M20', 'M23', 'M25', 'M27', 'M42', 'M60', 'M62'];

/** A small deterministic generator (LCG), so the demo is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A whole number from [low, high). */
function between(next: () => number, low: number, high: number): number {
  return low + Math.floor(next() * (high - low));
}

export function smartMotorwayDemo(): DemoLine[] {
  const next = random(20240101);
  const lines: DemoLine[] = [];
  let counter = 0;
  // Periods open on their first day and the previous one closes a fortnight later; facts are entered at quarter end.
  const at = (periodIndex: number, command: string) => {
    const { startDate, endDate } = QUARTERS[periodIndex];
    if (command === 'OpenPeriod' || command === 'FormAlliance' || command === 'DefineKpi') return `${startDate}T08:00:00.000Z`;
    if (command === 'ClosePeriod') return `${startDate.slice(0, 8)}15T09:00:00.000Z`;
    return `${endDate}T17:00:00.000Z`;
  };
  const add = (periodIndex: number, command: string, data: Record<string, unknown>) => {
    counter += 1;
    lines.push({ at: at(periodIndex, command), line: JSON.stringify({ command, commandId: `demo-${String(counter).padStart(5, '0')}`, data }) });
  };

  add(0, 'FormAlliance', {
    allianceId: DEMO_ALLIANCE_ID,
    name: 'Smart Motorway Alliance',
    owner: 'National Highways',
    partners: PARTNERS,
    shareBands: [
      { from: '0', to: '0.9', share: '0.25' },
      { from: '0.9', to: '1.1', share: '0.5' },
      { from: '1.1', share: '0.75' },
    ],
    rewardPoolMax: '6000000.00',
    liabilityMax: '6000000.00',
    // The demo is loaded by one import, as one person, so its quarters close with one approval.
    closeApprovals: 1,
  });
  const kpis = [
    { kpiId: 'afr', name: 'Accident frequency rate', unit: 'per 100,000 hours', source: 'afr', poor: '0.25', mcos: '0.15', outstanding: '0.05', weight: '0.30', gate: true },
    { kpiId: 'lane-closures', name: 'Lane-metre-days', unit: '% of plan', source: 'measured', poor: '120', mcos: '100', outstanding: '80', weight: '0.25', gate: false },
    { kpiId: 'milestones', name: 'Milestones met', unit: '%', source: 'measured', poor: '80', mcos: '90', outstanding: '100', weight: '0.20', gate: false },
    { kpiId: 'carbon', name: 'Carbon reduction', unit: '% against baseline', source: 'measured', poor: '0', mcos: '10', outstanding: '30', weight: '0.10', gate: false },
    { kpiId: 'skills', name: 'Apprentice starts', unit: '% of target', source: 'measured', poor: '50', mcos: '100', outstanding: '150', weight: '0.15', gate: false },
  ];
  for (const kpi of kpis) add(0, 'DefineKpi', kpi);

  // Thirty schemes, three starting each quarter for ten quarters; each runs three to five quarters.
  // The first ones come in under target; later ones overrun, so the pool swings from gain to pain.
  const schemes = Array.from({ length: 30 }, (_, index) => {
    const route = ROUTES[index % ROUTES.length];
    const junction = 3 + Math.floor(next() * 25);
    const start = Math.floor(index / 3);
    const duration = 3 + Math.floor(next() * 3);
    const baseline = BigInt(between(next, 20, 150)) * 100_000_000n;
    // Outturn against target, in basis points: 88–98% for the early schemes, 110–130% later.
    const driftBasisPoints = BigInt(index < 12 ? between(next, 8800, 9800) : between(next, 11000, 13000));
    return { schemeId: `${route}-J${junction}-J${junction + 1 + Math.floor(next() * 3)}`, route, start, duration, baseline, driftBasisPoints };
  });
  const seen = new Set<string>();
  for (const scheme of schemes) {
    while (seen.has(scheme.schemeId)) scheme.schemeId += 'X';
    seen.add(scheme.schemeId);
  }

  QUARTERS.forEach((quarter, q) => {
    add(q, 'OpenPeriod', { periodId: quarter.periodId, startDate: quarter.startDate, endDate: quarter.endDate });
    if (q > 0) add(q, 'ClosePeriod', { periodId: QUARTERS[q - 1].periodId });

    for (const scheme of schemes) {
      const end = scheme.start + scheme.duration - 1;
      if (q === scheme.start) {
        add(q, 'RegisterScheme', { schemeId: scheme.schemeId, name: `${scheme.route} smart motorway, ${scheme.schemeId.slice(scheme.route.length + 1)}` });
        add(q, 'SetTargetBaseline', { schemeId: scheme.schemeId, periodId: quarter.periodId, amount: formatPence(scheme.baseline) });
      }
      if (q < scheme.start || q > end) continue;
      // Compensation events now and then move the target, and the cost with it.
      if (next() < 0.35) {
        // −1.5% to +4.5% of the target.
        const ce = (scheme.baseline * BigInt(between(next, -150, 450))) / 10_000n;
        scheme.baseline += ce;
        add(q, 'ImplementCompensationEvent', { schemeId: scheme.schemeId, periodId: quarter.periodId, ceId: `CE-${scheme.schemeId}-${q}`, amount: formatPence(ce), reason: 'Change instructed by the client' });
      }
      const quarterCost = (scheme.baseline * scheme.driftBasisPoints) / 10_000n / BigInt(scheme.duration);
      const invoices = between(next, 4, 9);
      for (let invoice = 1; invoice <= invoices; invoice += 1) {
        const costId = `INV-${scheme.schemeId}-${quarter.periodId}-${invoice}`;
        const amount = quarterCost / BigInt(invoices);
        add(q, 'RecordDefinedCost', { schemeId: scheme.schemeId, periodId: quarter.periodId, costId, amount: formatPence(amount), description: `Valuation ${invoice}, ${quarter.periodId}` });
        if (next() < 0.06) {
          add(q, 'DisallowCost', { schemeId: scheme.schemeId, periodId: quarter.periodId, costId, amount: formatPence(amount / 5n), reason: 'Rework of defective work' });
        }
      }
      if (q === end) add(q, 'CompleteScheme', { schemeId: scheme.schemeId, periodId: quarter.periodId });
    }

    // Corrections, recorded as new events in the quarter they are found.
    if (quarter.periodId === '2024-Q4') {
      const scheme = schemes[1];
      add(q, 'RecordDefinedCost', { schemeId: scheme.schemeId, periodId: quarter.periodId, costId: `INV-${scheme.schemeId}-DUP`, amount: '1850000.00', description: 'Duplicate of an earlier valuation' });
      add(q, 'ReverseDefinedCost', { schemeId: scheme.schemeId, periodId: quarter.periodId, costId: `INV-${scheme.schemeId}-DUP`, reason: 'Entered twice' });
    }
    if (quarter.periodId === '2025-Q3') {
      const scheme = schemes[0];
      add(q, 'RecordDefinedCost', { schemeId: scheme.schemeId, periodId: quarter.periodId, costId: `INV-${scheme.schemeId}-LATE`, amount: '2400000.00', description: 'Late subcontractor final account after completion' });
    }

    // Safety: hours from each partner, incidents; a fatality in 2025-Q2 gates that quarter.
    for (const partner of PARTNERS) {
      const hours = partner.role === 'delivery' ? 420000 + Math.floor(next() * 160000) : 90000 + Math.floor(next() * 50000);
      add(q, 'RecordHoursWorked', { periodId: quarter.periodId, partnerId: partner.partnerId, hours: String(hours), reason: 'Quarterly timesheet return' });
    }
    const riddor = Math.floor(next() * 2.4);
    for (let incident = 1; incident <= riddor; incident += 1) {
      add(q, 'ReportSafetyIncident', { periodId: quarter.periodId, incidentId: `INC-${quarter.periodId}-R${incident}`, severity: 'riddor', partnerId: PARTNERS[3 + (incident % 3)].partnerId });
    }
    add(q, 'ReportSafetyIncident', { periodId: quarter.periodId, incidentId: `INC-${quarter.periodId}-NM1`, severity: 'near-miss', partnerId: 'DEL2' });
    if (quarter.periodId === '2025-Q2') {
      add(q, 'ReportSafetyIncident', {
        periodId: quarter.periodId,
        incidentId: `INC-${quarter.periodId}-F1`,
        severity: 'fatality',
        partnerId: 'DEL1',
        occurredOn: '2025-05-14',
        description: 'Fatal collision with an errant vehicle inside the works',
      });
    }

    const wave = Math.sin(q / 2);
    add(q, 'RecordKpiMeasurement', { kpiId: 'lane-closures', periodId: quarter.periodId, value: (96 - wave * 12 + next() * 6).toFixed(1) });
    add(q, 'RecordKpiMeasurement', { kpiId: 'milestones', periodId: quarter.periodId, value: (88 + wave * 6 + next() * 5).toFixed(1) });
    add(q, 'RecordKpiMeasurement', { kpiId: 'carbon', periodId: quarter.periodId, value: (8 + q * 1.4 + next() * 3).toFixed(1) });
    if (quarter.periodId !== OPEN_QUARTER) add(q, 'RecordKpiMeasurement', { kpiId: 'skills', periodId: quarter.periodId, value: (95 + next() * 40).toFixed(0) });
  });

  // A compensation event on a completed scheme withdrawn a year later.
  const withdrawn = lines.find((entry) => entry.line.includes('"ImplementCompensationEvent"'));
  if (withdrawn) {
    const { data } = JSON.parse(withdrawn.line) as { data: { schemeId: string; ceId: string } };
    add(QUARTERS.length - 1, 'ReverseCompensationEvent', { schemeId: data.schemeId, periodId: OPEN_QUARTER, ceId: data.ceId, reason: 'Instruction withdrawn on review' });
  }
  return lines;
}
