import { createHash } from 'node:crypto';
import { html, page } from '../../pages/layout/page';

/**
 * Binds the confirmation page a browser was shown to the POST that claims the link: set by the
 * GET, required by the POST. SameSite=Strict, so a form posted from another site (a login CSRF
 * that would sign the victim in as the attacker) arrives without it. One cookie per link (its
 * name ends with part of the link's digest), so a person who opens a second link in the same
 * browser can still press "Sign in" on the first one's page.
 */
export function linkBindingCookie(jti: string): string {
  return `ledger_link_${linkDigest(jti).slice(0, 16)}`;
}
export const LINK_BINDING_AUDIENCE = 'login-link';
export const LOGIN_LINK_PATH = '/auth/login-link';

/** What the binding cookie holds of a link: a digest of its id, not the id itself. */
export function linkDigest(jti: string): string {
  return createHash('sha256').update(`login-link\n${jti}`).digest('base64url');
}

/**
 * The page a sign-in link opens: nothing is claimed until the person presses the button, so a
 * mail scanner or link previewer that follows the link uses nothing up. The token is only in the
 * hidden field the button posts.
 */
export function confirmationPage(token: string, who: string): string {
  return page(
    'Sign in',
    html`<h1>Sign in to Alliance Ledger</h1>
    <p>This link signs you in as <strong>${who}</strong>. It works once and expires 10 minutes after it was made.</p>
    <form method="post" action="${LOGIN_LINK_PATH}"><input type="hidden" name="token" value="${token}"><button type="submit">Sign in</button></form>
    <p class="muted">If you did not ask to sign in, close this page.</p>`,
  );
}

export function refusedLinkPage(): string {
  return page('Sign-in link not accepted', html`<h1>This sign-in link cannot be used</h1><p>It has expired, was already used, or is not from this ledger. Ask for a new one.</p>`);
}

export function unboundLinkPage(): string {
  return page(
    'Sign-in not confirmed',
    html`<h1>This sign-in was not confirmed here</h1><p>The form was sent from another site, or the page it came from is more than 10 minutes old. Open your sign-in link again and press "Sign in"; the link has not been used.</p>`,
  );
}
