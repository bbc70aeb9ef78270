import { formatPence, MONEY_BOUNDS, parsePence } from '../../shared/money';
import { PeriodLookup } from '../../periods/domain/periods.decider';
import { deciderSpec } from '../../../test/support/decider-spec';
import { SchemeCommand, schemeDecider } from './scheme.decider';
import { AllianceTotals, NO_TOTALS } from './alliance-totals';
import { SchemeEvent } from './scheme.events';

const spec = deciderSpec(schemeDecider);
const open: PeriodLookup = { periodId: '2026-Q1', status: 'open' };
const closed: PeriodLookup = { periodId: '2025-Q4', status: 'closed' };
const unknown: PeriodLookup = { periodId: '2027-Q1', status: 'unknown' };
const ids = { allianceId: 'sma', schemeId: 'A' };
const fact = { ...ids, periodId: '2026-Q1' };

const registered: SchemeEvent = { type: 'SchemeRegistered', data: { ...ids, name: 'Scheme A' } };
const baseline: SchemeEvent = { type: 'TargetBaselineSet', data: { ...fact, amount: '300000000.00' } };
const ce: SchemeEvent = { type: 'CompensationEventImplemented', data: { ...fact, ceId: 'CE1', amount: '12000000.00', reason: 'Drainage' } };
const cost: SchemeEvent = { type: 'DefinedCostRecorded', data: { ...fact, costId: 'C1', amount: '1000.00', description: null } };
const disallowed: SchemeEvent = { type: 'CostDisallowed', data: { ...fact, costId: 'C1', amount: '400.00', reason: 'Rework' } };

type Rest<Type extends SchemeCommand['type']> = Omit<Extract<SchemeCommand, { type: Type }>, 'type' | 'allianceId' | 'schemeId' | 'period' | 'allianceTotals'>;
const command = <Type extends SchemeCommand['type']>(type: Type, rest: Rest<Type>, period = open, allianceTotals: AllianceTotals = NO_TOTALS) =>
  ({ type, ...ids, period, allianceTotals, ...rest }) as unknown as SchemeCommand;

describe('scheme decider', () => {
  describe('RegisterScheme', () => {
    const register = (name: string, allianceFormed = true): SchemeCommand => ({ type: 'RegisterScheme', ...ids, name, allianceFormed });
    it('registers a scheme', () => spec.given([]).when(register('Scheme A')).then([registered]));
    it('refuses a scheme for an alliance not formed', () => spec.given([]).when(register('Scheme A', false)).thenRefused('alliance_not_found', 'allianceId'));
    it('accepts the same registration again', () => spec.given([registered]).when(register('Scheme A')).thenNothing());
    it('refuses the same id under another name', () => spec.given([registered]).when(register('Other')).thenRefused('scheme_conflict', 'schemeId'));
  });

  it('refuses any fact for a scheme that has not been registered', () => {
    spec.given([]).when(command('RecordDefinedCost', { costId: 'C1', amount: 100n, description: null })).thenRefused('scheme_not_found', 'schemeId');
  });

  describe('SetTargetBaseline', () => {
    it('sets the baseline once', () => spec.given([registered]).when(command('SetTargetBaseline', { amount: 30000000000n })).then([baseline]));
    it('accepts the same baseline again', () => spec.given([registered, baseline]).when(command('SetTargetBaseline', { amount: 30000000000n })).thenNothing());
    it('refuses a different baseline', () =>
      spec.given([registered, baseline]).when(command('SetTargetBaseline', { amount: 1n })).thenRefused('baseline_already_set', 'amount', /compensation events/));
    it('refuses a closed or unopened period', () => {
      spec.given([registered]).when(command('SetTargetBaseline', { amount: 1n }, closed)).thenRefused('period_closed', 'periodId');
      spec.given([registered]).when(command('SetTargetBaseline', { amount: 1n }, unknown)).thenRefused('period_not_found', 'periodId');
    });
  });

  describe('ImplementCompensationEvent', () => {
    const implement = (amount: bigint, ceId = 'CE1', reason: string | null = 'Drainage', period = open) => command('ImplementCompensationEvent', { ceId, amount, reason }, period);
    it('changes the target by a signed amount', () => spec.given([registered, baseline]).when(implement(1200000000n)).then([ce]));
    it('accepts the same compensation event again', () => spec.given([registered, baseline, ce]).when(implement(1200000000n)).thenNothing());
    it('refuses a reused ceId with different content', () =>
      spec.given([registered, baseline, ce]).when(implement(1n)).thenRefused('compensation_event_conflict', 'ceId', /different content/));
    it('refuses before a baseline is set', () => spec.given([registered]).when(implement(1n)).thenRefused('baseline_missing', 'schemeId'));
    it('refuses one that would take the target to zero or below', () =>
      spec.given([registered, baseline]).when(implement(-30000000000n, 'CE2')).thenRefused('target_not_positive', 'amount'));
    it('refuses a closed period', () => spec.given([registered, baseline]).when(implement(1n, 'CE2', null, closed)).thenRefused('period_closed', 'periodId'));
  });

  describe('ReverseCompensationEvent', () => {
    const reverse = (ceId = 'CE1', reason = 'Withdrawn') => command('ReverseCompensationEvent', { ceId, reason });
    const reversed: SchemeEvent = { type: 'CompensationEventReversed', data: { ...fact, ceId: 'CE1', amount: '12000000.00', reason: 'Withdrawn' } };
    it('reverses the whole compensation event', () => spec.given([registered, baseline, ce]).when(reverse()).then([reversed]));
    it('refuses an unknown ceId', () => spec.given([registered, baseline]).when(reverse('CE9')).thenRefused('compensation_event_not_found', 'ceId'));
    it('accepts the same reversal again and refuses a second, different one', () => {
      spec.given([registered, baseline, ce, reversed]).when(reverse()).thenNothing();
      spec.given([registered, baseline, ce, reversed]).when(reverse('CE1', 'Other')).thenRefused('already_reversed', 'ceId');
    });
  });

  describe('RecordDefinedCost', () => {
    const record = (amount: bigint, costId = 'C1', period = open) => command('RecordDefinedCost', { costId, amount, description: null }, period);
    it('records a cost line', () => spec.given([registered]).when(record(100000n)).then([cost]));
    it('accepts the same cost line again', () => spec.given([registered, cost]).when(record(100000n)).thenNothing());
    it('refuses a reused costId with different content', () =>
      spec.given([registered, cost]).when(record(100001n)).thenRefused('cost_line_conflict', 'costId', /different content/));
    it('refuses a closed period', () => spec.given([registered]).when(record(1n, 'C2', closed)).thenRefused('period_closed', 'periodId'));
  });

  describe('DisallowCost', () => {
    const disallow = (amount: bigint, costId = 'C1') => command('DisallowCost', { costId, amount, reason: 'Rework' });
    it('disallows part of a cost line', () => spec.given([registered, cost]).when(disallow(40000n)).then([disallowed]));
    it('refuses more than is left of the cost line after earlier disallowances', () =>
      spec.given([registered, cost, disallowed]).when(disallow(60001n)).thenRefused('disallowance_exceeds_cost', 'amount', /600\.01 is more than what is left of cost line C1 \(600\.00 of 1000\.00\)/));
    it('allows exactly what is left', () =>
      spec.given([registered, cost, disallowed]).when(disallow(60000n)).then([{ type: 'CostDisallowed', data: { ...fact, costId: 'C1', amount: '600.00', reason: 'Rework' } }]));
    it('refuses an unknown cost line', () => spec.given([registered]).when(disallow(1n, 'C9')).thenRefused('cost_line_not_found', 'costId'));
    it('refuses a reversed cost line', () => {
      const reversed: SchemeEvent = { type: 'DefinedCostReversed', data: { ...fact, costId: 'C1', amount: '1000.00', disallowedAmount: '0.00', reason: 'Dup' } };
      spec.given([registered, cost, reversed]).when(disallow(1n)).thenRefused('cost_line_reversed', 'costId');
    });
  });

  describe('ReverseDefinedCost', () => {
    const reverse = (reason = 'Entered twice') => command('ReverseDefinedCost', { costId: 'C1', reason });
    const reversed: SchemeEvent = { type: 'DefinedCostReversed', data: { ...fact, costId: 'C1', amount: '1000.00', disallowedAmount: '400.00', reason: 'Entered twice' } };
    it('reverses the line and its disallowances', () => spec.given([registered, cost, disallowed]).when(reverse()).then([reversed]));
    it('accepts the same reversal again and refuses a different one', () => {
      spec.given([registered, cost, disallowed, reversed]).when(reverse()).thenNothing();
      spec.given([registered, cost, disallowed, reversed]).when(reverse('Other')).thenRefused('already_reversed', 'costId');
    });
  });

  describe('CompleteScheme', () => {
    const complete = (period = open) => command('CompleteScheme', {}, period);
    const completed: SchemeEvent = { type: 'SchemeCompleted', data: fact };
    it('completes a scheme with a baseline', () => spec.given([registered, baseline]).when(complete()).then([completed]));
    it('refuses to complete without a baseline', () => spec.given([registered]).when(complete()).thenRefused('baseline_missing', 'schemeId'));
    it('accepts completing again in the same period and refuses another period', () => {
      spec.given([registered, baseline, completed]).when(complete()).thenNothing();
      spec.given([registered, baseline, completed]).when(complete({ periodId: '2026-Q2', status: 'open' })).thenRefused('scheme_already_completed', 'schemeId', /2026-Q1/);
    });
  });

  it('keeps the target as baseline plus compensation events not reversed', () => {
    const state = [
      registered,
      baseline,
      ce,
      { type: 'CompensationEventImplemented', data: { ...fact, ceId: 'CE2', amount: '-2000000.00', reason: null } },
      { type: 'CompensationEventReversed', data: { ...fact, ceId: 'CE1', amount: '12000000.00', reason: 'x' } },
    ].reduce((current, event) => schemeDecider.evolve(current, event as SchemeEvent), schemeDecider.initialState());
    expect(state.target).toBe(29800000000n);
  });

  describe('bounds', () => {
    const pounds = (text: string) => parsePence(text);
    const bound = formatPence(MONEY_BOUNDS.schemeTotal);
    const allianceBound = formatPence(MONEY_BOUNDS.allianceTotal);
    const fullBaseline: SchemeEvent = { type: 'TargetBaselineSet', data: { ...fact, amount: bound } };
    const fullCost: SchemeEvent = { type: 'DefinedCostRecorded', data: { ...fact, costId: 'BIG', amount: bound, description: null } };

    it('accepts a scheme target of exactly the bound and refuses a compensation event past it', () => {
      spec.given([registered]).when(command('SetTargetBaseline', { amount: MONEY_BOUNDS.schemeTotal })).then([fullBaseline]);
      spec
        .given([registered, fullBaseline])
        .when(command('ImplementCompensationEvent', { ceId: 'CE1', amount: 1n, reason: null }))
        .thenRefused('scheme_total_exceeds_bound', 'amount', new RegExp(`at most ${bound.replace('.', '\\.')}`));
    });

    it('refuses reversing a negative compensation event when that would lift the target past the bound', () => {
      const negative: SchemeEvent = { type: 'CompensationEventImplemented', data: { ...fact, ceId: 'CE1', amount: '-1.00', reason: null } };
      const raised: SchemeEvent = { type: 'CompensationEventImplemented', data: { ...fact, ceId: 'CE2', amount: '1.00', reason: null } };
      spec
        .given([registered, fullBaseline, negative, raised])
        .when(command('ReverseCompensationEvent', { ceId: 'CE1', reason: 'Withdrawn' }))
        .thenRefused('scheme_total_exceeds_bound', 'amount');
    });

    it('counts every cost line recorded on a scheme, reversed or not, against the bound', () => {
      const reversed: SchemeEvent = { type: 'DefinedCostReversed', data: { ...fact, costId: 'BIG', amount: bound, disallowedAmount: '0.00', reason: 'Dup' } };
      spec
        .given([registered, fullCost, reversed])
        .when(command('RecordDefinedCost', { costId: 'C2', amount: 1n, description: null }))
        .thenRefused('scheme_total_exceeds_bound', 'amount', /cost lines recorded on scheme A/);
    });

    it("refuses a cost line that would take the alliance's recorded cost past its bound, naming the bound", () => {
      const nearlyFull = { target: 0n, cost: MONEY_BOUNDS.allianceTotal - 100n };
      spec.given([registered]).when(command('RecordDefinedCost', { costId: 'C1', amount: 100n, description: null }, open, nearlyFull)).then([
        { type: 'DefinedCostRecorded', data: { ...fact, costId: 'C1', amount: '1.00', description: null } },
      ]);
      spec
        .given([registered])
        .when(command('RecordDefinedCost', { costId: 'C1', amount: 101n, description: null }, open, nearlyFull))
        .thenRefused('alliance_total_exceeds_bound', 'amount', new RegExp(`alliance sma's cost recorded .* at most ${allianceBound.replace('.', '\\.')}`));
    });

    it("counts the size of a compensation event, either sign, against the alliance's recorded target", () => {
      const nearlyFull = { target: MONEY_BOUNDS.allianceTotal - 100n, cost: 0n };
      spec.given([registered]).when(command('SetTargetBaseline', { amount: 101n }, open, nearlyFull)).thenRefused('alliance_total_exceeds_bound', 'amount');
      spec
        .given([registered, baseline])
        .when(command('ImplementCompensationEvent', { ceId: 'CE9', amount: -pounds('1.01'), reason: null }, open, nearlyFull))
        .thenRefused('alliance_total_exceeds_bound', 'amount', /target recorded/);
    });

    it('does not judge a retry of a fact already recorded against the bounds', () => {
      const full = { target: MONEY_BOUNDS.allianceTotal, cost: MONEY_BOUNDS.allianceTotal };
      spec.given([registered, cost]).when(command('RecordDefinedCost', { costId: 'C1', amount: 100000n, description: null }, open, full)).thenNothing();
    });
  });
});
