import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { IDENTITY, Identity } from '../../src/access/identity/identity';
import type { TestApp } from './test-app';

/**
 * Signing in through a sign-in link as a person does: open the link (a page with a button, which
 * claims nothing), then press "Sign in" (a form POST carrying the token and the page's binding cookie).
 */

/** The parts of the confirmation page a client needs: the token in its hidden field and the binding cookie. */
export interface LinkPage {
  response: Response;
  /** The hidden field's token, or undefined when the link was refused. */
  token: string | undefined;
  /** `ledger_link_…=…` (one per link), ready for a Cookie header, or undefined when none was set. */
  bindingCookie: string | undefined;
}

/** GET a sign-in link (a path such as `/auth/login-link?token=…`, or a full URL). */
export async function openLink(baseUrl: string, link: string): Promise<LinkPage> {
  const response = await fetch(new URL(link, baseUrl), { redirect: 'manual' });
  const text = await response.clone().text();
  return {
    response,
    token: /<input type="hidden" name="token" value="([^"]+)">/.exec(text)?.[1],
    bindingCookie: cookieFrom(response, /^ledger_link_[A-Za-z0-9_-]+$/),
  };
}

/** POST the confirmation form: the token, and the cookie header to send with it (the binding cookie, when the test keeps it). */
export function pressSignIn(baseUrl: string, token: string, cookie: string | undefined): Promise<Response> {
  return fetch(new URL('/auth/login-link', baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** Opens the link and presses "Sign in"; the POST's answer (303 to `/` with the session cookie when it worked). */
export async function signInWithLink(baseUrl: string, link: string): Promise<Response> {
  const opened = await openLink(baseUrl, link);
  if (opened.response.status !== 200 || !opened.token) return opened.response;
  return pressSignIn(baseUrl, opened.token, opened.bindingCookie);
}

/** The session cookie (`ledger_session=…`) a sign-in set, or undefined. */
export function sessionCookieOf(response: Response): string | undefined {
  return cookieFrom(response, 'ledger_session');
}

/** In a browser: opens the link, presses "Sign in" and waits for the page it leads to. */
export async function signInBrowser(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/auth/login-link'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/**
 * A page in a browser context of its own, signed in through a sign-in link the test service's
 * local issuer made for `claims`, as a person does (the link's page, then "Sign in").
 */
export async function signedInPage(
  browser: Browser,
  service: Pick<TestApp, 'app' | 'url'>,
  claims: { subject: string; name?: string; admin?: boolean },
  context: BrowserContextOptions = {},
): Promise<Page> {
  const token = await service.app.get<Identity>(IDENTITY).local!.issuer.loginLinkToken(claims);
  const page = await (await browser.newContext(context)).newPage();
  await signInBrowser(page, `${service.url}/auth/login-link?token=${token}`);
  return page;
}

function cookieFrom(response: Response, name: string | RegExp): string | undefined {
  return response.headers
    .getSetCookie()
    .find((line) => (typeof name === 'string' ? line.startsWith(`${name}=`) : name.test(line.slice(0, line.indexOf('=')))))
    ?.split(';')[0];
}
