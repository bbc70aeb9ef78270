import { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { fixture, importNdjson, startTestApp, TestApp } from '../support/test-app';
import { signedInPage } from '../support/sign-in';

/** The pages in a real browser: who is signed in, what they may see, and forms that only our own pages can post. */
describe('pages for signed-in people', () => {
  let service: TestApp;
  let browser: Browser;
  const period = '/ui/alliances/sma/periods/2026-Q1';

  /** The worked example under `allianceId`, with a commercial manager, an approver and partner P's person. */
  async function alliance(allianceId: string, closeApprovals: 1 | 2): Promise<void> {
    await importNdjson(service.http, allianceId, fixture('worked-example.ndjson').replace('"closeApprovals":1', `"closeApprovals":${closeApprovals}`)).expect(200);
    for (const [subject, role, partnerId] of [
      ['cm@example', 'commercial-manager'],
      ['approver@example', 'approver'],
      ['pat@p.example', 'partner', 'P'],
    ]) {
      await service.http.post(`/alliances/${allianceId}/access/grants`).send({ subject, role, ...(partnerId ? { partnerId } : {}) }).expect(201);
    }
  }

  /** Q1 of its own alliance certified, for a partner to sign its statement. */
  async function certified(allianceId: string): Promise<string> {
    await alliance(allianceId, 1);
    await service.http.post(`/alliances/${allianceId}/periods/2026-Q1/close`).expect(201);
    return `/ui/alliances/${allianceId}/periods/2026-Q1`;
  }

  beforeAll(async () => {
    service = await startTestApp();
    // Only the four-eyes test changes this alliance; the others read it or each certify one of their own.
    await alliance('sma', 2);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  const signedIn = (subject: string, name?: string): Promise<Page> => signedInPage(browser, service, { subject, name });

  it('sends a visitor with no session to sign in', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${service.url}${period}`);
    expect(new URL(page.url()).pathname).toBe('/auth/sign-in');
    expect(await page.textContent('h1')).toBe('Sign in');
  });

  it('proposes with one person and certifies with a second, each through the page’s own form', async () => {
    const manager = await signedIn('cm@example', 'Chris Commercial');
    await manager.goto(`${service.url}${period}`);
    expect(await manager.textContent('.viewer')).toContain('Chris Commercial');
    expect(await manager.textContent('.viewer')).toContain('commercial-manager');
    expect(await manager.locator('button', { hasText: 'Approve and certify' }).count()).toBe(0);
    await manager.click('button:has-text("Propose closing the period")');
    expect(await manager.textContent('.actions')).toContain('Close proposed by cm@example');

    const approver = await signedIn('approver@example');
    await approver.goto(`${service.url}${period}`);
    await approver.click('button:has-text("Approve and certify")');
    expect(await approver.textContent('h1')).toContain('certified');
    const certificate = (await service.http.get('/alliances/sma/periods/2026-Q1/certificate').expect(200)).body;
    expect(certificate.certificate).toMatchObject({ proposedBy: 'cm@example', approvedBy: 'approver@example' });
  });

  it('shows a partner only its own statement, and lets it acknowledge it', async () => {
    const period = await certified('pa-sign');
    const partner = await signedIn('pat@p.example');
    await partner.goto(`${service.url}${period}`);
    expect(await partner.locator('a', { hasText: /^P$/ }).count()).toBe(1);
    expect(await partner.locator('a', { hasText: /^S1$/ }).count()).toBe(0);
    await partner.goto(`${service.url}${period}/partners/P`);
    await partner.click('button:has-text("Acknowledge this statement")');
    expect(await partner.textContent('body')).toContain('acknowledged');
    const statement = (await service.http.get('/alliances/pa-sign/periods/2026-Q1/statements/P').expect(200)).body;
    expect(statement.signOff).toMatchObject({ status: 'acknowledged', by: 'pat@p.example' });
    const other = await partner.goto(`${service.url}${period}/partners/S1`);
    expect(other!.status()).toBe(403);
  });

  it('refuses a form posted without the session’s CSRF token, as a cross-site page would send it', async () => {
    const period = await certified('pa-csrf');
    await (await service.as('pat@p.example')).post('/alliances/pa-csrf/periods/2026-Q1/statements/P/acknowledgement').send({}).expect(201);
    const partner = await signedIn('pat@p.example');
    const cookies = await partner.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'ledger_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const forged = await fetch(`${service.url}${period}/partners/P/dispute`, {
      method: 'POST',
      headers: { cookie: `ledger_session=${session.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=forged',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(((await service.http.get('/alliances/pa-csrf/periods/2026-Q1/statements/P').expect(200)).body.signOff as { status: string }).status).toBe('acknowledged');
  });

  it('signs out, after which the session no longer opens pages', async () => {
    const manager = await signedIn('cm@example');
    await manager.goto(`${service.url}/`);
    await manager.click('button:has-text("Sign out")');
    expect(new URL(manager.url()).pathname).toBe('/auth/sign-in');
    await manager.goto(`${service.url}${period}`);
    expect(new URL(manager.url()).pathname).toBe('/auth/sign-in');
  });
});
