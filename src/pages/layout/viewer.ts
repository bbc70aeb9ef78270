import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessControl } from '../../access/access-control';
import { RoleGrant } from '../../access/domain/roles';
import { Principal } from '../../access/identity/principal';
import { Action, allows, ruleFor } from '../../access/permissions';
import { AuthenticatedRequest } from '../../access/route-access';
import { html, Html } from './html';

/** Who is looking at a page, what they hold in its alliance, and the CSRF token of their forms. */
export class Viewer {
  constructor(
    readonly principal: Principal,
    readonly grants: readonly RoleGrant[],
    readonly csrfToken: string | null,
  ) {}

  /** Whether the permissions table lets this viewer do `action` (for `partnerId`): what the page offers. */
  may(action: Action, partnerId: string | null = null): boolean {
    if (this.principal.admin) return true;
    const rule = ruleFor(action);
    return rule !== undefined && allows(rule, this.grants, partnerId);
  }

  get roles(): string {
    if (this.principal.admin) return 'administrator';
    return this.grants.map((grant) => (grant.partnerId ? `${grant.role} ${grant.partnerId}` : grant.role)).join(', ') || 'no role here';
  }

  /** A state-changing form: posted back to us with the session's CSRF token and a fresh command id, so a double submit records once. */
  form(action: string, label: string, fields: Html | string = ''): Html {
    if (!this.csrfToken) return html`<p class="muted">Sign in to the pages to ${label.toLowerCase()} (bearer tokens use the API).</p>`;
    return html`<form method="post" action="${action}" class="inline"><input type="hidden" name="_csrf" value="${this.csrfToken}"><input type="hidden" name="commandId" value="${randomUUID()}">${fields}<button type="submit">${label}</button></form>`;
  }

  bar(): Html {
    const who = this.principal.name ? html`${this.principal.name} <span class="muted">${this.principal.subject}</span>` : html`${this.principal.subject}`;
    const signOut = this.csrfToken
      ? html`<form method="post" action="/auth/sign-out" class="inline"><input type="hidden" name="_csrf" value="${this.csrfToken}"><button type="submit" class="link">Sign out</button></form>`
      : '';
    return html`<div class="viewer">Signed in as ${who} · <span class="roles">${this.roles}</span> ${signOut}</div>`;
  }
}

@Injectable()
export class Viewers {
  constructor(private readonly access: AccessControl) {}

  async of(request: AuthenticatedRequest, allianceId: string | null): Promise<Viewer> {
    const principal = request.principal!;
    const grants = allianceId && !principal.admin ? await this.access.grantsOf(allianceId, principal.subject) : [];
    return new Viewer(principal, grants, request.csrfToken ?? null);
  }
}
