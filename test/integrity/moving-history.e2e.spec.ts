import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStoreDbDouble } from '../eventstoredb-double/eventstoredb-double';
import { runLedger } from '../support/cli';
import { importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';
import { MULTI_PERIOD } from '../support/multi-period';
import { ALLIANCE, seedThreeQuarters, tempDir } from './integrity-support';

const PERIODS = ['2026-Q1', '2026-Q2', '2026-Q3'];

/** What must survive a move: every period's figures and the alliance's digest. */
async function figuresAndDigest(service: TestApp) {
  const figures: Record<string, unknown> = {};
  for (const periodId of PERIODS) figures[periodId] = (await service.http.get(`/alliances/${ALLIANCE}/periods/${periodId}/summary`).expect(200)).body;
  const { body } = await service.http.get(`/alliances/${ALLIANCE}/digest`).expect(200);
  const certificates: Record<string, unknown> = {};
  for (const periodId of ['2026-Q1', '2026-Q2']) {
    const response = await service.http.get(`/alliances/${ALLIANCE}/periods/${periodId}/certificate`);
    expect(response.body).toMatchObject({ digestMatches: true, figuresMatch: true });
    certificates[periodId] = response.body.certificate;
  }
  // Each figure of a certified period with the events it lists, by id: positions are the store's own.
  const explained: Record<string, unknown> = {};
  for (const periodId of ['2026-Q1', '2026-Q2']) {
    const { explanation } = (await service.http.get(`/alliances/${ALLIANCE}/periods/${periodId}/summary?explain=true`).expect(200)).body;
    explained[periodId] = explanation.figures.map((figure: { figure: string; eventCount?: number; events: Array<{ eventId: string }> }) => ({
      figure: figure.figure,
      eventCount: figure.eventCount,
      events: figure.events.map((event) => event.eventId),
    }));
  }
  return { figures, certificates, explained, digest: { treeSize: body.treeSize, root: body.root } };
}

describe('moving the history', () => {
  let source: TestApp;
  let before: Awaited<ReturnType<typeof figuresAndDigest>>;
  const cleanup: string[] = [];

  beforeAll(async () => {
    source = await startTestApp();
    await seedThreeQuarters(source);
    before = await figuresAndDigest(source);
    const outturn = (before.explained['2026-Q1'] as Array<{ figure: string; events: string[] }>).find((figure) => figure.figure === 'cost.outturn');
    expect(outturn?.events.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await source.close();
    for (const directory of cleanup) rmSync(directory, { recursive: true, force: true });
  });

  it('export → restore into an empty store → the same digests and figures, and verify passes', async () => {
    const work = tempDir('export');
    cleanup.push(work);
    const file = join(work, 'tq.ndjson');
    expect((await runLedger(['export', '--alliance', ALLIANCE, '--out', file], { LEDGER_DATA_DIR: source.dataDir })).code).toBe(0);
    const target = tempDir('restored');
    cleanup.push(target);
    const restored = await runLedger(['restore', file], { LEDGER_DATA_DIR: target });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, restored: { allianceId: ALLIANCE, events: before.digest.treeSize, root: before.digest.root, keysImported: 1 } });

    const again = await runLedger(['restore', file], { LEDGER_DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('store_not_empty');

    const service = await startTestApp({ dataDir: target });
    try {
      expect(await figuresAndDigest(service)).toEqual(before);
    } finally {
      await service.app.close();
    }
    const verified = await runLedger(['verify'], { LEDGER_DATA_DIR: target });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).alliances[0].certificates.map((c: { signature: string }) => c.signature)).toEqual(['valid', 'valid']);
  });

  it('refuses to restore an export that was changed', async () => {
    const work = tempDir('changed');
    cleanup.push(work);
    const file = join(work, 'tq.ndjson');
    await runLedger(['export', '--alliance', ALLIANCE, '--out', file], { LEDGER_DATA_DIR: source.dataDir });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"amount":"60000000.00"', '"amount":"50000000.00"'));
    const refused = await runLedger(['restore', file], { LEDGER_DATA_DIR: join(work, 'data') });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('export_digest_mismatch');
  });

  it('migrate embedded → EventStoreDB (the wire-level double) → the same figures and digests', async () => {
    const double = new EventStoreDbDouble();
    await double.start();
    try {
      const migrated = await runLedger(['migrate', '--to', double.connectionString], { LEDGER_DATA_DIR: source.dataDir });
      expect(migrated.code).toBe(0);
      const report = JSON.parse(migrated.stdout);
      expect(report).toMatchObject({ ok: true, copied: before.digest.treeSize, alliances: [{ allianceId: ALLIANCE, digestsMatch: true, figuresMatch: true, periods: 3, target: before.digest }] });

      const onDouble = await startTestApp({ env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString } });
      try {
        expect(await figuresAndDigest(onDouble)).toEqual(before);
      } finally {
        await onDouble.close();
      }
      const verified = await runLedger(['verify', '--alliance', ALLIANCE], { LEDGER_DATA_DIR: source.dataDir, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString });
      expect(verified.code).toBe(0);
      expect(JSON.parse(verified.stdout).alliances[0]).toMatchObject({ ok: true, recordedDigests: null, treeSize: before.digest.treeSize, root: before.digest.root });

      const twice = await runLedger(['migrate', '--to', double.connectionString], { LEDGER_DATA_DIR: source.dataDir });
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('store_not_empty');
    } finally {
      await double.stop();
    }
  });

  it('backs up while the service writes, and a restored backup verifies and gives its figures', async () => {
    const service = await startTestApp();
    const work = tempDir('backup');
    cleanup.push(work);
    try {
      await importNdjson(service.http, 'live', MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1).expect(200);
      const q1 = (await service.http.get('/alliances/live/periods/2026-Q1/summary').expect(200)).body;
      const backupFile = join(work, 'events-backup.db');
      await importNdjson(service.http, 'live', ndjson({ command: 'OpenPeriod', data: { periodId: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' } })).expect(200);
      let backingUp = true;
      const writer = (async () => {
        let written = 0;
        while (backingUp) {
          await service.http.put(`/alliances/live/schemes/B/costs/LIVE-${written}`).send({ periodId: '2026-Q2', amount: '1.00' }).expect(201);
          written += 1;
        }
        return written;
      })();
      const backedUp = await runLedger(['backup', backupFile], { LEDGER_DATA_DIR: service.dataDir });
      backingUp = false;
      expect(await writer).toBeGreaterThan(0);
      expect(backedUp.code).toBe(0);
      expect(JSON.parse(backedUp.stdout)).toMatchObject({ file: backupFile, bytes: expect.any(Number) });

      const target = join(work, 'data');
      const restored = await runLedger(['restore', backupFile], { LEDGER_DATA_DIR: target });
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, alliances: [{ allianceId: 'live', ok: true, certificates: expect.arrayContaining([expect.objectContaining({ periodId: '2026-Q1', signature: 'valid' })]) }] });
      const fromBackup = await startTestApp({ dataDir: target });
      try {
        expect((await fromBackup.http.get('/alliances/live/periods/2026-Q1/summary').expect(200)).body).toEqual(q1);
      } finally {
        await fromBackup.app.close();
      }
    } finally {
      await service.close();
    }
  });
});
