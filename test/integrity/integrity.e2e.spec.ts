import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { eventLeafHash } from '../../src/integrity/event-leaf';
import { MerkleFrontier } from '../../src/integrity/merkle';
import { canonicalJson } from '../../src/shared/canonical-json';
import { runLedger } from '../support/cli';
import { startTestApp, TestApp } from '../support/test-app';
import { ALLIANCE, runVerifier, seedThreeQuarters, tempDir, writeJson } from './integrity-support';

/**
 * What a partner does on its own machine: fetch the published keys once, then check an export,
 * a certificate and an inclusion proof with tools/verify-ledger.mjs and nothing else.
 */
describe('tamper evidence a partner checks offline', () => {
  let service: TestApp;
  let work: string;
  let keysFile: string;
  let certificateFile: string;
  let exportFile: string;

  beforeAll(async () => {
    service = await startTestApp();
    await seedThreeQuarters(service);
    work = tempDir('partner');
    const keys = await request(service.url).get('/.well-known/alliance-ledger-keys.json').expect(200);
    keysFile = writeJson(work, 'keys.json', keys.body);
    const certificate = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q1/certificate`).expect(200);
    certificateFile = writeJson(work, 'q1-certificate.json', certificate.body);
    exportFile = join(work, 'tq.ndjson');
    const exported = await runLedger(['export', '--alliance', ALLIANCE, '--out', exportFile], { LEDGER_DATA_DIR: service.dataDir });
    expect(exported).toMatchObject({ code: 0, stderr: '' });
  });
  afterAll(() => service.close());

  it('publishes the signing keys at a well-known URL, to anyone', async () => {
    const { body } = await request(service.url).get('/.well-known/alliance-ledger-keys.json').expect(200);
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', status: 'active', retiredAt: null });
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('records in each certificate the digest at its close, signed', async () => {
    const { body } = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q2/certificate`).expect(200);
    const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
    expect(body.certificate.ledger).toEqual({ algorithm: 'rfc6962-sha256', treeSize: expect.any(Number), root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(body.certificate.signature).toEqual({ algorithm: 'Ed25519', keyId: keys.keys[0].kid, value: expect.any(String) });
    const q1 = JSON.parse(readFileSync(certificateFile, 'utf8'));
    expect(body.certificate.ledger.treeSize).toBeGreaterThan(q1.certificate.ledger.treeSize);
  });

  it('gives the current digest: tree size, root, position, signed', async () => {
    const { body } = await service.http.get(`/alliances/${ALLIANCE}/digest`).expect(200);
    const events = await service.http.get(`/alliances/${ALLIANCE}/events?limit=1000`).expect(200);
    expect(body).toMatchObject({ allianceId: ALLIANCE, algorithm: 'rfc6962-sha256', treeSize: events.body.events.length, position: events.body.events.at(-1).position });
    expect(body.root).toMatch(/^[0-9a-f]{64}$/);
    expect(body.signature).toMatchObject({ algorithm: 'Ed25519' });
    const trailer = JSON.parse(readFileSync(exportFile, 'utf8').trim().split('\n').at(-1)!);
    expect(trailer).toEqual({ kind: 'digest', algorithm: 'rfc6962-sha256', treeSize: body.treeSize, root: body.root, position: body.position });
    await service.http.get('/alliances/nobody/digest').expect(404);
  });

  it('checks an export against a certificate and its signature with no access to the service', async () => {
    const checked = await runVerifier(['export', exportFile, '--keys', keysFile, '--certificate', certificateFile]);
    expect(checked.stdout).toMatch(/OK {4}alliance tq: \d+ events, root [0-9a-f]{64}/);
    expect(checked.stdout).toMatch(/OK {4}PeriodClosed 2026-Q2: signed by key/);
    expect(checked.stdout).toMatch(/OK {4}certificate file .*q1-certificate.json: signed by key .* matches/);
    expect(checked).toMatchObject({ code: 0 });
    expect(checked.stdout).toMatch(/VERIFIED\n$/);
  });

  it('refuses a certificate whose figures were changed under its signature', async () => {
    const certificate = JSON.parse(readFileSync(certificateFile, 'utf8'));
    certificate.certificate.summary.partners[0].total = '900000.00';
    const forged = writeJson(work, 'forged-figures.json', certificate);
    const checked = await runVerifier(['export', exportFile, '--keys', keysFile, '--certificate', forged]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/FAIL {2}certificate file .*forged-figures.json: signature invalid/);
  });

  it('refuses a certificate signed by another key, whether it claims the service’s key id or its own', async () => {
    const certificate = JSON.parse(readFileSync(certificateFile, 'utf8'));
    const { privateKey } = generateKeyPairSync('ed25519');
    const { signature, ...unsigned } = certificate.certificate;
    const message = Buffer.from(`alliance-ledger/period-certificate/v1\n${canonicalJson({ allianceId: ALLIANCE, periodId: '2026-Q1', certificate: unsigned })}`);
    const value = sign(null, message, privateKey).toString('base64url');
    const claimingTheirKey = writeJson(work, 'forged-kid.json', { ...certificate, certificate: { ...unsigned, signature: { ...signature, value } } });
    const ownKey = writeJson(work, 'forged-own-key.json', { ...certificate, certificate: { ...unsigned, signature: { ...signature, keyId: 'attacker', value } } });
    const first = await runVerifier(['export', exportFile, '--keys', keysFile, '--certificate', claimingTheirKey]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/FAIL {2}certificate file .*forged-kid.json: signature invalid/);
    const second = await runVerifier(['export', exportFile, '--keys', keysFile, '--certificate', ownKey]);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/signature unknown key/);
  });

  it('refuses an export whose events were edited, even with the digest line rewritten to match', async () => {
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n');
    const edited = lines.map((line) => line.replace('"amount":"60000000.00"', '"amount":"50000000.00"'));
    expect(edited).not.toEqual(lines);
    const plain = await runVerifier(['export', writeJson(work, 'edited.ndjson', `${edited.join('\n')}\n`), '--keys', keysFile]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/FAIL {2}the events give root/);
    expect(plain.stdout).toMatch(/FAIL {2}PeriodClosed 2026-Q1: certifies root/);

    const frontier = MerkleFrontier.empty();
    for (const line of edited.slice(1, -1)) frontier.append(eventLeafHash(JSON.parse(line)));
    const trailer = { ...JSON.parse(edited.at(-1)!), root: frontier.root().toString('hex') };
    const consistent = [...edited.slice(0, -1), JSON.stringify(trailer)].join('\n');
    const rewritten = await runVerifier(['export', writeJson(work, 'rewritten.ndjson', `${consistent}\n`), '--keys', keysFile]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toMatch(/OK {4}alliance tq/);
    expect(rewritten.stdout).toMatch(/FAIL {2}PeriodClosed 2026-Q1: certifies root [0-9a-f]+ over the first \d+ events; the export gives [0-9a-f]+/);
  });

  it('proves one entry against a certified digest, and refuses the proof once the event is edited', async () => {
    const events = await service.http.get(`/alliances/${ALLIANCE}/events?stream=scheme.A&limit=1000`).expect(200);
    const cost = events.body.events.find((event: { data: { costId?: string } }) => event.data.costId === 'A-1');
    const { body: proof } = await service.http.get(`/alliances/${ALLIANCE}/events/${cost.eventId}/proof`).expect(200);
    expect(proof).toMatchObject({ format: 'alliance-ledger-inclusion-proof', allianceId: ALLIANCE, certificate: { periodId: '2026-Q1' }, event: { id: cost.eventId, type: 'DefinedCostRecorded' } });
    expect(proof.root).toBe(proof.certificate.certificate.ledger.root);
    const good = await runVerifier(['proof', writeJson(work, 'proof.json', proof), '--keys', keysFile]);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toMatch(/OK {4}event .* is leaf \d+ of the \d+ events certified for 2026-Q1/);

    const edited = { ...proof, event: { ...proof.event, data: { ...proof.event.data, amount: '1.00' } } };
    const refused = await runVerifier(['proof', writeJson(work, 'edited-proof.json', edited), '--keys', keysFile]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/hashes to [0-9a-f]+, not the proof's leaf/);
    const rehashed = await runVerifier(['proof', writeJson(work, 'rehashed-proof.json', { ...edited, leafHash: undefined }), '--keys', keysFile]);
    expect(rehashed.code).toBe(1);
    expect(rehashed.stdout).toMatch(/is not covered by the root .* certified for 2026-Q1/);
  });

  it('answers 409 for an event no certificate covers yet, 404 for an unknown one', async () => {
    const events = await service.http.get(`/alliances/${ALLIANCE}/events?stream=scheme.C&limit=1000`).expect(200);
    const late = events.body.events.find((event: { data: { costId?: string } }) => event.data.costId === 'C-1');
    const refused = await service.http.get(`/alliances/${ALLIANCE}/events/${late.eventId}/proof`).expect(409);
    expect(refused.body).toMatchObject({ code: 'event_not_certified' });
    await service.http.get(`/alliances/${ALLIANCE}/events/00000000-0000-4000-8000-000000000000/proof`).expect(404);
  });

  it('rotates keys: new certificates are signed with the new key, old ones still verify', async () => {
    const rotated = await runLedger(['keys', 'rotate'], { LEDGER_DATA_DIR: service.dataDir });
    expect(rotated.code).toBe(0);
    const { body: keys } = await request(service.url).get('/.well-known/alliance-ledger-keys.json').expect(200);
    expect(keys.keys.map((key: { status: string }) => key.status)).toEqual(['active', 'retired']);
    const before = JSON.parse(readFileSync(keysFile, 'utf8')).keys[0].kid;
    expect(keys.keys[1]).toMatchObject({ kid: before, retiredAt: expect.any(String) });

    await service.http.post(`/alliances/${ALLIANCE}/periods/2026-Q3/close`).send({}).expect(201);
    const { body: q3 } = await service.http.get(`/alliances/${ALLIANCE}/periods/2026-Q3/certificate`).expect(200);
    expect(q3.certificate.signature.keyId).toBe(keys.keys[0].kid);
    const rotatedKeys = writeJson(work, 'rotated-keys.json', keys);
    const old = await runVerifier(['export', exportFile, '--keys', rotatedKeys, '--certificate', certificateFile]);
    expect(old.code).toBe(0);
  });
});
