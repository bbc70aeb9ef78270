import { deciderSpec } from '../../../test/support/decider-spec';
import { accessDecider, grantsOf } from './access.decider';
import { AccessCommand } from './access.decider';
import { RoleGranted } from './access.events';

const spec = deciderSpec(accessDecider);
const base = { allianceId: 'sma', actor: 'admin@example', allianceFormed: true, partnerIds: ['P', 'S1'] };
const grant = (subject: string, role: AccessCommand['role'], partnerId: string | null = null): AccessCommand => ({ type: 'GrantRole', ...base, subject, role, partnerId });
const revoke = (subject: string, role: AccessCommand['role'], partnerId: string | null = null): AccessCommand => ({ type: 'RevokeRole', ...base, subject, role, partnerId });
const granted = (subject: string, role: RoleGranted['data']['role'], partnerId: string | null = null): RoleGranted => ({ type: 'RoleGranted', data: { allianceId: 'sma', subject, role, partnerId } });

describe('access decider', () => {
  it('grants a role once; granting it again records nothing', () => {
    spec.given([]).when(grant('jo', 'recorder')).then([granted('jo', 'recorder')]);
    spec.given([granted('jo', 'recorder')]).when(grant('jo', 'recorder')).thenNothing();
  });

  it('holds a partner role per partner', () => {
    spec.given([granted('jo', 'partner', 'P')]).when(grant('jo', 'partner', 'S1')).then([granted('jo', 'partner', 'S1')]);
  });

  it('refuses a partner role without a partner, a partner on another role, and an unknown partner', () => {
    spec.given([]).when(grant('jo', 'partner')).thenRefused('invalid_command', 'partnerId', /required/);
    spec.given([]).when(grant('jo', 'auditor', 'P')).thenRefused('invalid_command', 'partnerId', /left out/);
    spec.given([]).when(grant('jo', 'partner', 'NOPE')).thenRefused('partner_not_found', 'partnerId');
  });

  it('refuses anyone changing their own access, granting or revoking', () => {
    spec.given([]).when({ ...grant('admin@example', 'approver') }).thenRefused('own_access', 'subject');
    spec.given([granted('admin@example', 'approver')]).when(revoke('admin@example', 'approver')).thenRefused('own_access', 'subject');
  });

  it('revokes a held role, and refuses to revoke one not held', () => {
    spec.given([granted('jo', 'recorder')]).when(revoke('jo', 'recorder')).then([{ type: 'RoleRevoked', data: { allianceId: 'sma', subject: 'jo', role: 'recorder', partnerId: null } }]);
    spec.given([granted('jo', 'partner', 'P')]).when(revoke('jo', 'partner', 'S1')).thenRefused('role_not_held', 'role');
  });

  it('needs a formed alliance', () => {
    spec.given([]).when({ ...grant('jo', 'recorder'), allianceFormed: false }).thenRefused('alliance_not_found', 'allianceId');
  });

  it('folds grants and revocations into what each subject holds', () => {
    const events = [granted('jo', 'recorder'), granted('jo', 'partner', 'P'), granted('sam', 'auditor'), { type: 'RoleRevoked' as const, data: granted('jo', 'recorder').data }];
    const state = events.reduce(accessDecider.evolve, accessDecider.initialState());
    expect(grantsOf(state, 'jo')).toEqual([{ subject: 'jo', role: 'partner', partnerId: 'P' }]);
    expect(grantsOf(state, 'sam')).toEqual([{ subject: 'sam', role: 'auditor', partnerId: null }]);
  });
});
