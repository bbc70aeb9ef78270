import { deciderSpec } from '../../../test/support/decider-spec';
import { PeriodLookup } from '../../periods/domain/periods.decider';
import { StatementCommand, statementsDecider } from './statements.decider';
import { StatementEvent } from './statements.events';

const spec = deciderSpec(statementsDecider);
const certified: PeriodLookup = { periodId: '2026-Q1', status: 'closed' };
const at = '2026-04-03T09:00:00.000Z';
const base = { allianceId: 'sma', partnerId: 'S1', partnerKnown: true, period: certified, by: 'alice@s1', at };
const acknowledge = (overrides: Partial<StatementCommand> = {}): StatementCommand => ({ type: 'AcknowledgeStatement', ...base, ...overrides }) as StatementCommand;
const dispute = (reason: string, overrides: Partial<StatementCommand> = {}): StatementCommand => ({ type: 'DisputeStatement', ...base, reason, ...overrides }) as StatementCommand;
const fact = { allianceId: 'sma', periodId: '2026-Q1', partnerId: 'S1', by: 'alice@s1', at };
const acknowledged: StatementEvent = { type: 'StatementAcknowledged', data: fact };
const disputed = (reason: string): StatementEvent => ({ type: 'StatementDisputed', data: { ...fact, reason } });

describe('statements decider', () => {
  it('records an acknowledgement with who and when', () => spec.given([]).when(acknowledge()).then([acknowledged]));
  it('records a dispute with its reason', () => spec.given([]).when(dispute('CE-7 missing')).then([disputed('CE-7 missing')]));

  it('refuses to sign a statement before its period is certified, or of a period never opened', () => {
    spec.given([]).when(acknowledge({ period: { periodId: '2026-Q1', status: 'open' } })).thenRefused('period_not_certified', 'periodId', /still open/);
    spec.given([]).when(dispute('x', { period: { periodId: '2026-Q1', status: 'open' } })).thenRefused('period_not_certified', 'periodId');
    spec.given([]).when(acknowledge({ period: { periodId: '2030-Q1', status: 'unknown' } })).thenRefused('period_not_found', 'periodId');
  });

  it('refuses a partner the alliance does not have', () =>
    spec.given([]).when(acknowledge({ partnerId: 'X9', partnerKnown: false })).thenRefused('partner_not_found', 'partnerId', /X9 is not a partner/));

  it('lets the latest stand: a dispute after an acknowledgement, and an acknowledgement after a dispute', () => {
    spec.given([acknowledged]).when(dispute('Disallowance contested')).then([disputed('Disallowance contested')]);
    spec.given([acknowledged, disputed('Disallowance contested')]).when(acknowledge()).then([acknowledged]);
  });

  it('records nothing when the partner says again what stands, but a new reason is a new dispute', () => {
    spec.given([acknowledged]).when(acknowledge({ by: 'bob@s1' })).thenNothing();
    spec.given([disputed('A')]).when(dispute('A')).thenNothing();
    spec.given([disputed('A')]).when(dispute('B')).then([disputed('B')]);
  });

  it('keeps each partner and period apart', () => {
    const other: StatementEvent = { type: 'StatementAcknowledged', data: { ...fact, partnerId: 'S2' } };
    spec.given([other]).when(acknowledge()).then([acknowledged]);
  });
});
