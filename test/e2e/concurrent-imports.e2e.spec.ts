import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const SETUP = fixture('worked-example.ndjson')
  .trim()
  .split('\n')
  .filter((line) => !/RecordDefinedCost|DisallowCost|CompleteScheme|RecordHoursWorked|RecordKpiMeasurement|ReportSafetyIncident/.test(line))
  .join('\n');

/** `count` cost lines for scheme A (and every third for B), each with its own command id. */
function costFile(name: string, count: number): string {
  return ndjson(
    ...Array.from({ length: count }, (_, index) => ({
      command: 'RecordDefinedCost',
      commandId: `${name}-${index}`,
      data: { schemeId: index % 3 === 0 ? 'B' : 'A', periodId: '2026-Q1', costId: `${name}-${index}`, amount: '1.00' },
    })),
  );
}

interface Outcome {
  status: number;
  body: { status: string; recorded: number; duplicates: number; linesRead: number; error: { line: number; code: string } | null };
}

/** Posts each file until it completes; a give-up must be a 409 concurrency_conflict naming a line. */
async function importUntilComplete(service: TestApp, allianceId: string, file: string, outcomes: Outcome[]): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const response = (await importNdjson(service.http, allianceId, file)) as unknown as Outcome;
    outcomes.push(response);
    if (response.status === 200) return;
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ status: 'stopped', error: { code: 'concurrency_conflict', line: expect.any(Number) } });
  }
  throw new Error('an import never completed');
}

async function costIds(service: TestApp, allianceId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page: { body: { events: Array<{ data: { costId: string } }>; next: string | null } } = await service.http
      .get(`/alliances/${allianceId}/events?type=DefinedCostRecorded&limit=1000${after ? `&after=${after}` : ''}`)
      .expect(200);
    ids.push(...page.body.events.map((event) => event.data.costId));
    after = page.body.next;
  } while (after);
  return ids;
}

describe('concurrent imports into one alliance', () => {
  it('on one instance: every import completes and every line is recorded exactly once', async () => {
    const service = await startTestApp();
    try {
      await importNdjson(service.http, 'busy', SETUP).expect(200);
      const files = Array.from({ length: 20 }, (_, index) => costFile(`f${index}`, 300));
      const responses = await Promise.all(files.map((file) => importNdjson(service.http, 'busy', file)));
      for (const response of responses) expect({ status: response.status, recorded: response.body.recorded, error: response.body.error }).toEqual({ status: 200, recorded: 300, error: null });
      const ids = await costIds(service, 'busy');
      expect(ids).toHaveLength(6000);
      expect(new Set(ids).size).toBe(6000);
      const { body } = await service.http.get('/alliances/busy').expect(200);
      expect(Object.fromEntries(body.schemes.map((scheme: { schemeId: string; definedCost: string }) => [scheme.schemeId, scheme.definedCost]))).toEqual({ A: '4000.00', B: '2000.00' });
    } finally {
      await service.close();
    }
  }, 180_000);

  it('on two instances sharing one data directory: imports complete, or stop with 409 and where, and re-posting completes them once', async () => {
    const first = await startTestApp();
    const second = await startTestApp({ dataDir: first.dataDir });
    try {
      await importNdjson(first.http, 'shared', SETUP).expect(200);
      const files = [
        ...Array.from({ length: 4 }, (_, index) => costFile(`big${index}`, 300)),
        ...Array.from({ length: 24 }, (_, index) => costFile(`one${index}`, 1)),
      ];
      const outcomes: Outcome[] = [];
      await Promise.all(files.map((file, index) => importUntilComplete(index % 2 === 0 ? first : second, 'shared', file, outcomes)));
      expect(outcomes.filter((outcome) => outcome.status !== 200 && outcome.status !== 409)).toEqual([]);
      const ids = await costIds(first, 'shared');
      expect(ids).toHaveLength(4 * 300 + 24);
      expect(new Set(ids).size).toBe(ids.length);
      const again = await importNdjson(second.http, 'shared', files[0]).expect(200);
      expect(again.body).toMatchObject({ recorded: 0, duplicates: 300 });
    } finally {
      await second.close();
      await first.close();
    }
  }, 180_000);
});
