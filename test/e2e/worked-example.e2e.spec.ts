import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLedger } from '../support/cli';
import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';
import { workedExampleSummary } from '../support/worked-example';

const WORKED_EXAMPLE = fixture('worked-example.ndjson');

describe('the spec’s worked example, end to end', () => {
  describe('through HTTP', () => {
    // Alliance `sma` holds the example for the tests that only read it; a test that writes or
    // closes works in an alliance of its own, so each test passes run alone.
    let service: TestApp;
    beforeAll(async () => {
      service = await startTestApp();
      await importNdjson(service.http, 'sma', WORKED_EXAMPLE).expect(200);
    });
    afterAll(() => service.close());

    it('imports the example and reports every line applied', async () => {
      const response = await importNdjson(service.http, 'sma-import', WORKED_EXAMPLE).expect(200);
      expect(response.body).toMatchObject({ allianceId: 'sma-import', status: 'completed', linesRead: 27, recorded: 27, duplicates: 0, error: null });
    });

    it('comes out to the penny in the period summary', async () => {
      const response = await service.http.get('/alliances/sma/periods/2026-Q1/summary').expect(200);
      expect(response.body).toEqual(workedExampleSummary('sma', 'provisional'));
    });

    it('gives each partner its statement', async () => {
      const expected: Record<string, [string, string, string]> = {
        P: ['1300000.00', '225000.00', '1525000.00'],
        D1: ['1950000.00', '337500.00', '2287500.00'],
        D2: ['1950000.00', '337500.00', '2287500.00'],
        S1: ['2600000.00', '450000.00', '3050000.00'],
        S2: ['2600000.00', '450000.00', '3050000.00'],
        S3: ['2600000.00', '450000.00', '3050000.00'],
      };
      for (const [partnerId, [costShare, performance, total]] of Object.entries(expected)) {
        const { body } = await service.http.get(`/alliances/sma/periods/2026-Q1/statements/${partnerId}`).expect(200);
        expect(body).toMatchObject({ partnerId, status: 'provisional', costShare, performance, total, cumulative: { costShare, previousCostShare: '0.00' } });
      }
    });

    it('caps the pain at 30,000,000.00 had the outturn been 600,000,000.00', async () => {
      const overrun = `${WORKED_EXAMPLE}${ndjson({ command: 'RecordDefinedCost', data: { schemeId: 'B', periodId: '2026-Q1', costId: 'B-002', amount: '106000000.00' } })}`;
      await importNdjson(service.http, 'sma-overrun', overrun).expect(200);
      const { body } = await service.http.get('/alliances/sma-overrun/periods/2026-Q1/summary').expect(200);
      expect(body.cost).toEqual({
        target: '520000000.00',
        outturn: '600000000.00',
        variance: '-80000000.00',
        ratio: '1.153846',
        partnersShare: '-30000000.00',
        ownerShare: '-50000000.00',
        capApplied: 'pain',
        partnersShareThisPeriod: '-30000000.00',
        previousPartnersShare: '0.00',
      });
      expect(body.partners.map((line: { costShare: string }) => line.costShare)).toEqual(['-3000000.00', '-4500000.00', '-4500000.00', '-6000000.00', '-6000000.00', '-6000000.00']);
    });

    it('certifies the figures on closing, and the certificate checks out against the events', async () => {
      await importNdjson(service.http, 'sma-closed', WORKED_EXAMPLE).expect(200);
      await service.http.post('/alliances/sma-closed/periods/2026-Q1/close').expect(201);
      const { body: summary } = await service.http.get('/alliances/sma-closed/periods/2026-Q1/summary').expect(200);
      expect(summary).toEqual(workedExampleSummary('sma-closed', 'certified'));
      const { body: check } = await service.http.get('/alliances/sma-closed/periods/2026-Q1/certificate').expect(200);
      // Every one of the 27 events imported is an input to the period's figures.
      expect(check).toMatchObject({ digestMatches: true, figuresMatch: true, recorded: { eventCount: 27 } });
      expect(check.certificate.summary).toEqual(workedExampleSummary('sma-closed', 'certified'));
    });
  });

  describe('through the ledger command line', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
      writeFileSync(join(dataDir, 'worked-example.ndjson'), WORKED_EXAMPLE);
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('imports the file and prints the same summary and statements as the API', async () => {
      const env = { LEDGER_DATA_DIR: dataDir };
      const imported = await runLedger(['import', join(dataDir, 'worked-example.ndjson'), '--alliance', 'sma'], env);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'completed', recorded: 27 });

      const summary = await runLedger(['summary', '--alliance', 'sma', '--period', '2026-Q1'], env);
      expect(summary.code).toBe(0);
      expect(JSON.parse(summary.stdout)).toEqual(workedExampleSummary('sma', 'provisional'));

      const statement = await runLedger(['statement', '--alliance', 'sma', '--period', '2026-Q1', '--partner', 'D2'], env);
      expect(JSON.parse(statement.stdout)).toMatchObject({ partnerId: 'D2', costShare: '1950000.00', performance: '337500.00', total: '2287500.00' });

      const again = await runLedger(['import', '-'], env, WORKED_EXAMPLE.replace(/"data":\{/g, '"data":{"allianceId":"sma",'));
      expect(JSON.parse(again.stdout)).toMatchObject({ status: 'completed', recorded: 0, duplicates: 27 });
    }, 120_000);
  });
});
