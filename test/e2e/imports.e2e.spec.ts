import { fixture, importNdjson, ndjson, startTestApp, TestApp } from '../support/test-app';

const WORKED_EXAMPLE = fixture('worked-example.ndjson');
const lines = WORKED_EXAMPLE.trim().split('\n');

describe('NDJSON imports', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp();
  });
  afterAll(() => service.close());

  const eventCount = async (allianceId: string) => (await service.http.get(`/alliances/${allianceId}/events?limit=1000`).expect(200)).body.events.length;

  it('stops at a bad line with its number and reason, keeps the lines before it, and a fixed re-run applies nothing twice', async () => {
    const broken = [...lines];
    const bad = broken.findIndex((line) => line.includes('"A-002","amount"'));
    broken[bad] = broken[bad].replace('"120000000.00"', '"120000000.005"');
    const lineNumber = bad + 1;
    const first = await importNdjson(service.http, 'resume', broken.join('\n')).expect(400);
    expect(first.body).toMatchObject({
      status: 'stopped',
      linesRead: lineNumber,
      recorded: lineNumber - 1,
      error: { line: lineNumber, code: 'invalid_command', errors: [{ field: 'data.amount', reason: expect.stringMatching(/more than 2 decimal places/) }] },
    });
    expect(first.body.error.message).toMatch(new RegExp(`^line ${lineNumber}: data\\.amount`));
    expect(await eventCount('resume')).toBe(lineNumber - 1);

    const second = await importNdjson(service.http, 'resume', WORKED_EXAMPLE).expect(200);
    expect(second.body).toMatchObject({ status: 'completed', recorded: 27 - (lineNumber - 1), duplicates: lineNumber - 1, error: null });
    expect(await eventCount('resume')).toBe(27);

    const third = await importNdjson(service.http, 'resume', WORKED_EXAMPLE).expect(200);
    expect(third.body).toMatchObject({ recorded: 0, duplicates: 27 });
    const { body } = await service.http.get('/alliances/resume/periods/2026-Q1/summary').expect(200);
    expect(body.cost.partnersShare).toBe('13000000.00');
  });

  it('counts identical lines without command ids once each, by their occurrence in the file', async () => {
    const setup = lines.slice(0, lines.findIndex((line) => line.includes('"OpenPeriod"')) + 1).join('\n');
    const hours = ndjson({ command: 'RecordHoursWorked', data: { periodId: '2026-Q1', hours: '1000' } });
    await importNdjson(service.http, 'occurrences', `${setup}\n${hours}${hours}`).expect(200);
    const again = await importNdjson(service.http, 'occurrences', `${setup}\n${hours}${hours}${hours}`).expect(200);
    expect(again.body).toMatchObject({ recorded: 1, duplicates: setup.split('\n').length + 2 });
    const { body } = await service.http.get('/alliances/occurrences/events?type=HoursWorkedRecorded').expect(200);
    expect(body.events).toHaveLength(3);
  });

  it('refuses a line naming another alliance', async () => {
    const response = await importNdjson(service.http, 'mine', ndjson({ command: 'OpenPeriod', data: { allianceId: 'theirs', periodId: 'P1', startDate: '2026-01-01', endDate: '2026-03-31' } })).expect(400);
    expect(response.body.error).toMatchObject({ line: 1, code: 'wrong_alliance', errors: [{ field: 'data.allianceId' }] });
  });

  it.each([
    ['malformed JSON', '{"command": "OpenPeriod", "data": {', 'line', /not valid JSON/],
    ['an unknown command', '{"command": "MakeItRain", "data": {}}', 'command', /must be one of FormAlliance/],
    ['a JSON number for money', '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"N1","amount":1250.5}}', 'data.amount', /not a JSON number/],
    ['an exponent', '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"N1","amount":"1e6"}}', 'data.amount', /exponent/],
    ['a negative cost', '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"N1","amount":"-10.00"}}', 'data.amount', /greater than 0/],
    ['an unknown scheme', '{"command":"RecordDefinedCost","data":{"schemeId":"Z","periodId":"2026-Q1","costId":"N1","amount":"10.00"}}', 'schemeId', /not been registered/],
    ['an unopened period', '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2030-Q1","costId":"N1","amount":"10.00"}}', 'periodId', /not been opened/],
    ['an unknown KPI', '{"command":"RecordKpiMeasurement","data":{"kpiId":"happiness","periodId":"2026-Q1","value":"10"}}', 'kpiId', /not defined/],
    ['an unknown partner', '{"command":"RecordHoursWorked","data":{"periodId":"2026-Q1","hours":"10","partnerId":"X9"}}', 'partnerId', /not a partner/],
    ['a reused costId with other content', '{"command":"RecordDefinedCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"A-001","amount":"1.00"}}', 'costId', /different content/],
    ['a reused ceId with other content', '{"command":"ImplementCompensationEvent","data":{"schemeId":"A","periodId":"2026-Q1","ceId":"CE-A1","amount":"1.00"}}', 'ceId', /different content/],
    ['a reused incidentId with other content', '{"command":"ReportSafetyIncident","data":{"periodId":"2026-Q1","incidentId":"INC-1","severity":"fatality"}}', 'incidentId', /different content/],
    ['a disallowance above what is left', '{"command":"DisallowCost","data":{"schemeId":"A","periodId":"2026-Q1","costId":"A-002","amount":"118000000.01","reason":"x"}}', 'amount', /more than what is left/],
  ])('refuses %s, naming the field, and records nothing', async (_, line, field, reason) => {
    const allianceId = `refusals-${Math.random().toString(36).slice(2, 8)}`;
    await importNdjson(service.http, allianceId, WORKED_EXAMPLE).expect(200);
    const before = await eventCount(allianceId);
    const response = await importNdjson(service.http, allianceId, `${line}\n`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error.line).toBe(1);
    expect(response.body.error.errors).toEqual(expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]));
    expect(await eventCount(allianceId)).toBe(before);
  });

  it('refuses shares that do not sum to 1 and bands with a gap when forming an alliance', async () => {
    const formation = JSON.parse(lines[0]);
    formation.data.partners[0].allocationShare = '0.11';
    formation.data.shareBands[1].from = '0.95';
    const response = await importNdjson(service.http, 'bad-terms', `${JSON.stringify(formation)}\n`).expect(400);
    expect(response.body.error.errors).toEqual([
      { field: 'partners', reason: 'allocation shares sum to 1.01; they must sum to exactly 1' },
      { field: 'shareBands[1].from', reason: 'leaves a gap after 0.9' },
    ]);
    await service.http.get('/alliances/bad-terms').expect(404);
  });

  it('wants NDJSON, and says so to a client that sends JSON', async () => {
    const xml = await service.http.post('/alliances/x/imports').set('Content-Type', 'application/xml').send('<x/>').expect(415);
    expect(xml.body).toMatchObject({ code: 'unsupported_media_type', errors: [{ field: 'Content-Type' }] });
    const json = await service.http.post('/alliances/x/imports').set('Content-Type', 'application/json').send('{"command":"OpenPeriod"}').expect(415);
    expect(json.body.message).toBe('Content-Type: application/json is not accepted here; send one JSON command a line with Content-Type: application/x-ndjson');
  });

  it('asks who is calling before it looks at the media type, however the path is spelt', async () => {
    // The router decodes %61 and ignores letter case: each of these is the import route.
    for (const path of ['/alliances/x/imports', '/%61lliances/x/imports', '/Alliances/x/imports']) {
      const response = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"command":"OpenPeriod"}\n' });
      expect([path, response.status]).toEqual([path, 401]);
    }
  });
});
