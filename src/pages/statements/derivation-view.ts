import { AllocationDerivation, PeriodDerivation } from '../../settlement/domain/derivation';
import { decimal, pounds } from '../layout/html';
import { Html, html, table } from '../layout/page';

/** The derivation written out for people: the same steps the PDF prints. */
export function derivationView(derivation: PeriodDerivation, partnerId: string | null): Html {
  const { cost, performance, allocation } = derivation;
  return html`<h2>From target and outturn to the partners’ share</h2>
  <p class="step">T = ${pounds(cost.target)} · A = ${pounds(cost.outturn)} · R = A / T = ${cost.ratio ?? '—'} (${cost.kind})</p>
  ${cost.kind === 'no target'
    ? html`<p class="muted">No completed scheme is in the pool yet, so there is no target and no share.</p>`
    : table(
        ['Band of R', { label: 'Share', num: true }, 'Part of ' + (cost.kind === 'overrun' ? '[1, R)' : '[R, 1)') + ' in the band', { label: 'Length', num: true }, { label: 'T × length × share', num: true }],
        cost.bands.map((band) => [html`${band.from} – ${band.to ?? '∞'}`, html`${band.share}`, band.overlap ? html`${band.overlap.from} – ${band.overlap.to}` : html`<span class="muted">none</span>`, html`${band.length}`, pounds(band.amount)]),
        { caption: 'Band by band', foot: [[html`Uncapped share`, html``, html``, html``, pounds(cost.uncapped)]] },
      )}
  <p class="step">Caps: pain ${pounds(cost.painCap)}, gain ${cost.gainCap ? pounds(cost.gainCap) : 'none'} → ${cost.capApplied ? html`<strong>${cost.capApplied} cap applies</strong>` : 'within the caps'}, rounded half away from zero to the penny: C(p) = ${pounds(cost.partnersShare)}</p>
  <p class="step">This period = C(p) − C(p−1) = ${pounds(cost.partnersShare)} − ${subtrahend(cost.previousPartnersShare)} = ${pounds(cost.thisPeriod)}</p>
  <h2>The performance amount</h2>
  ${table(
    ['KPI', { label: 'Value', num: true }, 'Anchors (poor / MCOS / outstanding)', 'Interpolation', { label: 'Score', num: true }, { label: 'Weight', num: true }, { label: 'Weight × score', num: true }],
    performance.kpis.map((kpi) => [
      html`${kpi.name} <span class="muted">${kpi.unit}${kpi.gate ? ', gate' : ''}</span>`,
      decimal(kpi.value),
      html`${kpi.poor ?? '—'} / ${kpi.mcos ?? '—'} / ${kpi.outstanding ?? '—'}`,
      html`<span class="step">${kpi.rule}</span>`,
      html`${kpi.score ?? '—'}`,
      html`${kpi.weight}`,
      html`${kpi.weighted ?? '—'}`,
    ]),
    { caption: 'Each KPI scored on its line, then weighted', foot: [[html`S = Σ weight × score`, html``, html``, html``, html``, html``, html`${performance.score ?? '—'}`]] },
  )}
  <p class="step">${performance.pool
    ? html`S ${performance.pool.kind === 'reward' ? '≥' : '<'} 0, so S / 100 × the ${performance.pool.kind} ${performance.pool.kind === 'reward' ? 'pool' : 'limit'} ${pounds(performance.pool.max)} = ${pounds(performance.unrounded)}${performance.gated ? html`; <strong>gated</strong>: a positive amount is cancelled` : ''} → ${pounds(performance.amount)}${performance.shownScoreIsRounded ? html`<br><span class="muted" id="rounded-score">S is shown to 4 places and the KPI values to 6; the ledger multiplies S unrounded, which is why the amount is ${pounds(performance.amount)} and not the rounding of the line above.</span>` : ''}`
    : html`No score while ${performance.missingKpis.join(', ')} ${performance.missingKpis.length === 1 ? 'has' : 'have'} no value: the amount is ${pounds(performance.amount)}.`}</p>
  <h2>Split between the partners, to the penny</h2>
  <p class="muted">Each amount is split by allocation share: quotas are truncated to the penny, and the pennies left over go one each to the largest remainders (ties to the partner listed first), so the parts always sum exactly to the amount.</p>
  ${allocationTable('C(p)', allocation.partnersShare, partnerId)}
  ${allocationTable('C(p−1)', allocation.previousPartnersShare, partnerId)}
  ${allocationTable('Performance amount', allocation.performance, partnerId)}`;
}

function allocationTable(label: string, split: AllocationDerivation, partnerId: string | null): Html {
  return table(
    ['Partner', { label: 'Share', num: true }, { label: 'Exact quota', num: true }, { label: 'Truncated', num: true }, { label: 'Remainder (pence)', num: true }, 'Leftover penny', { label: 'Part', num: true }],
    split.parties.map((party) => [
      html`${party.partnerId === partnerId ? html`<strong>${party.partnerId}</strong>` : party.partnerId}`,
      html`${party.share}`,
      pounds(party.quota),
      pounds(party.truncated),
      html`${party.remainderPence}`,
      html`${party.extraPenny ? '+1p' : ''}`,
      pounds(party.part),
    ]),
    { caption: html`${label} = ${pounds(split.amount)}: ${split.leftoverPennies} leftover penn${split.leftoverPennies === 1 ? 'y' : 'ies'}`, className: 'allocation', foot: [[html`Total`, html`1`, html``, html``, html``, html``, pounds(split.amount)]] },
  );
}

/** A negative amount taken away, in brackets: − (−£8,821,480.94), not − −£8,821,480.94. */
function subtrahend(amount: string): Html {
  return amount.startsWith('-') ? html`(${pounds(amount)})` : pounds(amount);
}
