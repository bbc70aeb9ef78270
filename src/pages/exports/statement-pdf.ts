import type { CertificateReport } from '../../audit/audit.queries';
import { PeriodDerivation } from '../../settlement/domain/derivation';
import { SignedStatement } from '../../settlement/queries/settlement.queries';

/** The standard PDF fonts speak WinAnsi: the few signs outside it are written out. */
function winAnsi(text: string): string {
  return text.replace(/−/g, '-').replace(/≥/g, '>=').replace(/Σ/g, 'Sum').replace(/∞/g, 'open').replace(/→/g, '->').replace(/∩/g, 'in');
}

function gbp(text: string | null): string {
  if (text === null) return '-';
  const negative = text.startsWith('-');
  const [whole, pence = '00'] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pence}`;
}

/**
 * A partner's statement as a PDF (pdfkit): the figures, the derivation step by step, the
 * certificate's digest and the sign-off. Text only, in the standard Helvetica, so it reads back.
 */
export async function statementPdf(statement: SignedStatement, derivation: PeriodDerivation, certificate: CertificateReport | null, asAt: Date | undefined): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${statement.name} ${statement.periodId} statement`, Author: 'Alliance Ledger' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const line = (text: string, options: { size?: number; bold?: boolean; gap?: number } = {}) => {
    doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(options.size ?? 10).text(winAnsi(text));
    if (options.gap) doc.moveDown(options.gap);
  };
  const heading = (text: string) => {
    doc.moveDown(0.6);
    line(text, { size: 12, bold: true });
  };

  line(`${statement.name} (${statement.partnerId}) - ${statement.periodId} reward statement`, { size: 16, bold: true });
  line(`Alliance ${statement.allianceId} · status ${statement.status} · allocation share ${statement.allocationShare}${asAt ? ` · as at ${asAt.toISOString()}` : ''}`, { gap: 0.5 });

  heading('Figures');
  line(`Cost share this period: ${gbp(statement.costShare)}`);
  line(`Performance: ${gbp(statement.performance)}`);
  line(`Total: ${gbp(statement.total)}`, { bold: true });
  line(`Your part of C(p): ${gbp(statement.cumulative.costShare)}; of C(p-1): ${gbp(statement.cumulative.previousCostShare)}`);

  const { cost, performance, allocation } = derivation;
  heading('Cost share, band by band');
  line(`T = ${gbp(cost.target)}, A = ${gbp(cost.outturn)}, R = A / T = ${cost.ratio ?? '-'} (${cost.kind})`);
  for (const band of cost.bands) {
    line(`Band ${band.from} - ${band.to ?? 'open'} at ${band.share}: ${band.overlap ? `${band.overlap.from} - ${band.overlap.to}` : 'no overlap'}, length ${band.length}, T x length x share = ${gbp(band.amount)}`);
  }
  line(`Uncapped: ${gbp(cost.uncapped)}; pain cap ${gbp(cost.painCap)}, gain cap ${cost.gainCap ? gbp(cost.gainCap) : 'none'}${cost.capApplied ? ` - the ${cost.capApplied} cap applies` : ''}`);
  line(`C(p) = ${gbp(cost.partnersShare)}; C(p) - C(p-1) = ${gbp(cost.partnersShare)} - ${cost.previousPartnersShare.startsWith('-') ? `(${gbp(cost.previousPartnersShare)})` : gbp(cost.previousPartnersShare)} = ${gbp(cost.thisPeriod)}`, { bold: true });

  heading('Performance');
  for (const kpi of performance.kpis) {
    line(`${kpi.name}: value ${kpi.value ?? '-'}; ${kpi.rule}; score ${kpi.score ?? '-'} x weight ${kpi.weight} = ${kpi.weighted ?? '-'}`);
  }
  line(`S = Sum weight x score = ${performance.score ?? '-'}`);
  if (performance.pool) line(`S / 100 x ${performance.pool.kind} ${gbp(performance.pool.max)} = ${gbp(performance.unrounded)}${performance.gated ? ' (gated: a positive amount is cancelled)' : ''}`);
  if (performance.shownScoreIsRounded) line(`S is shown to 4 places and the KPI values to 6; the ledger multiplies S unrounded, which gives ${gbp(performance.amount)}.`);
  line(`Performance amount = ${gbp(performance.amount)}`, { bold: true });

  heading('Your part, to the penny');
  for (const [label, split] of [['C(p)', allocation.partnersShare], ['C(p-1)', allocation.previousPartnersShare], ['Performance', allocation.performance]] as const) {
    const party = split.parties.find((candidate) => candidate.partnerId === statement.partnerId);
    if (!party) continue;
    line(`${label} ${gbp(split.amount)} x ${party.share} = ${gbp(party.quota)}; truncated ${gbp(party.truncated)}${party.extraPenny ? ' + 1p of the leftover pennies' : ''} = ${gbp(party.part)} (${split.leftoverPennies} leftover penn${split.leftoverPennies === 1 ? 'y' : 'ies'} in all)`);
  }

  heading('Certificate');
  if (certificate) {
    line(`Certified at ${certificate.certificate.certifiedAt}; proposed by ${certificate.certificate.proposedBy ?? '-'}, approved by ${certificate.certificate.approvedBy ?? '-'}`);
    line(`Digest ${certificate.certificate.inputs.digest} over ${certificate.certificate.inputs.eventCount} events`);
    line(`Checked on download: digest ${certificate.digestMatches ? 'matches' : 'DOES NOT MATCH'}, figures ${certificate.figuresMatch ? 'match' : 'DO NOT MATCH'}`);
  } else {
    line('Provisional: not certified yet, so there is no certificate.');
  }

  heading('Sign-off');
  line(statement.signOff ? `${statement.signOff.status} by ${statement.signOff.by} at ${statement.signOff.at}${statement.signOff.reason ? `: ${statement.signOff.reason}` : ''}` : 'Not signed yet.');
  doc.end();
  return done;
}
