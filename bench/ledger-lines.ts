/** NDJSON lines for the benches: one alliance, one open period, `schemes` schemes and `costs` cost lines across them. */
export function* benchLines(schemes: number, costs: number): Generator<string> {
  yield JSON.stringify({
    command: 'FormAlliance',
    data: {
      name: 'Bench alliance',
      owner: 'National Highways',
      partners: [
        { partnerId: 'P', name: 'P', role: 'production-management', allocationShare: '0.10', feeAtRisk: '3000000.00' },
        { partnerId: 'D1', name: 'D1', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
        { partnerId: 'D2', name: 'D2', role: 'design', allocationShare: '0.15', feeAtRisk: '4500000.00' },
        { partnerId: 'S1', name: 'S1', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
        { partnerId: 'S2', name: 'S2', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
        { partnerId: 'S3', name: 'S3', role: 'delivery', allocationShare: '0.20', feeAtRisk: '6000000.00' },
      ],
      shareBands: [
        { from: '0', to: '0.9', share: '0.25' },
        { from: '0.9', to: '1.1', share: '0.5' },
        { from: '1.1', share: '0.75' },
      ],
      rewardPoolMax: '6000000.00',
      liabilityMax: '6000000.00',
    },
  });
  yield JSON.stringify({ command: 'DefineKpi', data: { kpiId: 'afr', name: 'AFR', unit: 'per 100,000 hours', source: 'afr', poor: '0.25', mcos: '0.15', outstanding: '0.05', weight: '1', gate: true } });
  yield JSON.stringify({ command: 'OpenPeriod', data: { periodId: '2026-Q1', startDate: '2026-01-01', endDate: '2026-03-31' } });
  for (let scheme = 0; scheme < schemes; scheme += 1) {
    yield JSON.stringify({ command: 'RegisterScheme', data: { schemeId: `S${scheme}`, name: `Scheme ${scheme}` } });
    yield JSON.stringify({ command: 'SetTargetBaseline', data: { schemeId: `S${scheme}`, periodId: '2026-Q1', amount: '250000000.00' } });
  }
  for (let line = 0; line < costs; line += 1) {
    const scheme = line % schemes;
    yield JSON.stringify({
      command: 'RecordDefinedCost',
      data: { schemeId: `S${scheme}`, periodId: '2026-Q1', costId: `INV-${line}`, amount: `${1000 + (line % 9000)}.${String(line % 100).padStart(2, '0')}` },
    });
    if (line % (costs / schemes) === costs / schemes - 1) yield JSON.stringify({ command: 'CompleteScheme', data: { schemeId: `S${scheme}`, periodId: '2026-Q1' } });
  }
  yield JSON.stringify({ command: 'RecordHoursWorked', data: { periodId: '2026-Q1', hours: '2500000' } });
}
