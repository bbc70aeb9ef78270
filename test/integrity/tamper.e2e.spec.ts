import { join } from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { allianceEvents, recordedDigests } from '../../src/integrity/alliance-events';
import { buildInclusionProof } from '../../src/integrity/inclusion-proof';
import { SigningKeys } from '../../src/integrity/signing-keys';
import { AllianceVerification, verifyAlliance } from '../../src/integrity/verification';
import { runLedger } from '../support/cli';
import { startTestApp } from '../support/test-app';
import { ALLIANCE, copyDataDir, runVerifier, seedThreeQuarters, writeJson } from './integrity-support';

interface Row {
  position: number;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
}

/**
 * Someone with the data directory edits the SQLite file behind the service's back. `ledger
 * verify` recomputes from the store and names the first broken event and the certificates it
 * affects.
 */
describe('tampering with the embedded store', () => {
  let pristine: string;
  const copies: string[] = [];

  beforeAll(async () => {
    const service = await startTestApp();
    await seedThreeQuarters(service);
    pristine = service.dataDir;
    await service.app.close();
  });
  afterAll(() => {
    for (const directory of [pristine, ...copies]) rmSync(directory, { recursive: true, force: true });
  });

  /** A copy of the store, changed by `tamper` through SQLite itself, then verified. */
  async function tamperAndVerify(tamper: (db: Database.Database, rows: Row[]) => void): Promise<{ result: AllianceVerification; dataDir: string; rows: Row[] }> {
    const dataDir = copyDataDir(pristine);
    copies.push(dataDir);
    const db = new Database(join(dataDir, 'events.db'));
    const rows = db.prepare('SELECT position, event_id, stream, revision, type, data FROM events ORDER BY position').all() as Row[];
    tamper(db, rows);
    db.close();
    const store = new SqliteEventStore({ path: join(dataDir, 'events.db') });
    try {
      const result = await verifyAlliance(ALLIANCE, allianceEvents(store, ALLIANCE), recordedDigests(store, ALLIANCE), SigningKeys.open(dataDir));
      return { result, dataDir, rows };
    } finally {
      await store.close();
    }
  }

  const cost = (rows: Row[], costId: string) => rows.find((row) => row.type === 'DefinedCostRecorded' && JSON.parse(row.data).costId === costId)!;

  it('passes an untouched store, and `ledger verify` exits 0', async () => {
    const { result, dataDir } = await tamperAndVerify(() => undefined);
    expect(result).toMatchObject({ ok: true, firstBreak: null, affectedCertificates: [] });
    expect(result.certificates.map((certificate) => [certificate.periodId, certificate.rootMatches, certificate.signature])).toEqual([
      ['2026-Q1', true, 'valid'],
      ['2026-Q2', true, 'valid'],
    ]);
    const cli = await runLedger(['verify'], { LEDGER_DATA_DIR: dataDir });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, alliances: [{ allianceId: ALLIANCE, ok: true, treeSize: result.treeSize }] });
  });

  it('names an event whose data changed by one byte, and `ledger verify` exits non-zero saying so', async () => {
    const { result, dataDir, rows } = await tamperAndVerify((db, all) => {
      const row = cost(all, 'A-1');
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('60000000.00', '60000001.00'), row.position);
    });
    const edited = cost(rows, 'A-1');
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({
      problem: 'altered',
      position: `${edited.position}/${edited.position}`,
      streamName: 'ledger.tq.scheme.A',
      type: 'DefinedCostRecorded',
      naturalId: 'schemeId=A costId=A-1 periodId=2026-Q1',
    });
    expect(result.affectedCertificates).toEqual(['2026-Q1', '2026-Q2']);
    expect(result.certificates.every((certificate) => certificate.rootMatches === false && certificate.signature === 'valid')).toBe(true);

    const cli = await runLedger(['verify', '--alliance', ALLIANCE], { LEDGER_DATA_DIR: dataDir });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`BROKEN alliance tq: altered event at position ${edited.position}/${edited.position}`);
    expect(cli.stderr).toContain('ledger.tq.scheme.A, revision 2, DefinedCostRecorded, schemeId=A costId=A-1 periodId=2026-Q1');
    expect(cli.stderr).toContain('Certificates affected: 2026-Q1, 2026-Q2');
  });

  it('names a deleted event by what was recorded at its position', async () => {
    const { result, rows } = await tamperAndVerify((db, all) => {
      db.prepare('DELETE FROM events WHERE position = ?').run(cost(all, 'B-2').position);
    });
    const deleted = cost(rows, 'B-2');
    expect(result.firstBreak).toMatchObject({ problem: 'missing', position: `${deleted.position}/${deleted.position}`, streamName: 'ledger.tq.scheme.B', type: 'DefinedCostRecorded', eventId: deleted.event_id });
    expect(result.affectedCertificates).toEqual(['2026-Q2']);
  });

  it('names the first of two swapped events', async () => {
    const { result, rows } = await tamperAndVerify((db, all) => {
      const [a, b] = [cost(all, 'A-1'), cost(all, 'A-2')];
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a.position);
      db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a.position, b.position);
      db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b.position);
    });
    const first = cost(rows, 'A-1');
    expect(result.firstBreak).toMatchObject({ problem: 'altered', position: `${first.position}/${first.position}`, naturalId: 'schemeId=A costId=A-2 periodId=2026-Q1' });
    expect(result.firstBreak!.detail).toMatch(/swapped or moved/);
    expect(result.affectedCertificates).toEqual(['2026-Q1', '2026-Q2']);
  });

  it('names an event slipped into the file', async () => {
    const { result } = await tamperAndVerify((db) => {
      const head = db.prepare("SELECT max(revision) AS revision FROM events WHERE stream = 'ledger.tq.scheme.C'").get() as { revision: number };
      db.prepare("INSERT INTO events (event_id, stream, revision, type, data, metadata, created) VALUES ('11111111-1111-4111-8111-111111111111', 'ledger.tq.scheme.C', ?, 'DefinedCostRecorded', ?, '{}', '2026-01-01T00:00:00.000Z')").run(
        head.revision + 1,
        JSON.stringify({ allianceId: ALLIANCE, schemeId: 'C', periodId: '2026-Q3', costId: 'C-X', amount: '-100000000.00' }),
      );
    });
    expect(result.firstBreak).toMatchObject({ problem: 'unrecorded', streamName: 'ledger.tq.scheme.C', naturalId: 'schemeId=C costId=C-X periodId=2026-Q3' });
    // Slipped in after the last close: no certificate covers it, so none is affected.
    expect(result.affectedCertificates).toEqual([]);
    expect(result.ok).toBe(false);
  });

  it('names an event whose stored JSON no longer parses', async () => {
    const { result } = await tamperAndVerify((db, all) => {
      db.prepare("UPDATE events SET data = substr(data, 2) WHERE position = ?").run(cost(all, 'C-1').position);
    });
    expect(result.firstBreak).toMatchObject({ problem: 'unreadable', type: 'DefinedCostRecorded' });
  });

  it('still catches an edit whose recorded digests were rewritten to match, through the signed certificates', async () => {
    const { result } = await tamperAndVerify((db, all) => {
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(cost(all, 'A-1').data.replace('60000000.00', '60000001.00'), cost(all, 'A-1').position);
      db.prepare("DELETE FROM event_digests WHERE alliance = 'tq'").run();
      db.prepare("DELETE FROM digest_heads WHERE alliance = 'tq'").run();
      db.prepare("DELETE FROM digest_meta").run();
    });
    // Reopening recorded the edited rows afresh ("trust on first use"), so only the certificates disagree.
    expect(result.firstBreak).toMatchObject({ problem: 'certificate_mismatch', index: 0 });
    expect(result.affectedCertificates).toEqual(['2026-Q1', '2026-Q2']);
  });

  it('serves a proof for an event edited in the store that the standalone verifier refuses', async () => {
    const { dataDir, rows } = await tamperAndVerify((db, all) => {
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(cost(all, 'A-1').data.replace('60000000.00', '60000001.00'), cost(all, 'A-1').position);
    });
    const store = new SqliteEventStore({ path: join(dataDir, 'events.db') });
    const proof = await buildInclusionProof(ALLIANCE, cost(rows, 'A-1').event_id, allianceEvents(store, ALLIANCE)).finally(() => store.close());
    const keys = writeJson(dataDir, 'keys.json', SigningKeys.open(dataDir).published());
    const checked = await runVerifier(['proof', writeJson(dataDir, 'proof.json', proof), '--keys', keys]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/is not covered by the root .* certified for 2026-Q1/);
  });
});
