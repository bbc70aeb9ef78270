import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLedger } from '../support/cli';
import { fixture } from '../support/test-app';

/** Everything from the command line: record any command, close with four eyes, read the history filtered. */
describe('ledger commands for every use case', () => {
  let dataDir: string;
  const env = () => ({ LEDGER_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    const file = join(dataDir, 'worked.ndjson');
    writeFileSync(file, fixture('worked-example.ndjson').replace('"closeApprovals":1', '"closeApprovals":2').split('\n').filter((line) => !line.includes('ClosePeriod')).join('\n'));
    expect((await runLedger(['import', file, '--alliance', 'sma'], env())).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('records a fact with a verb and with run, refusing bad data with the field', async () => {
    const verb = await runLedger(['record-defined-cost', '--alliance', 'sma', '--scheme', 'A', '--period', '2026-Q1', '--amount', '1250.00', '--data', '{"costId":"CLI-1"}'], env());
    expect(verb.code).toBe(0);
    expect(JSON.parse(verb.stdout)).toMatchObject({ command: 'RecordDefinedCost', outcome: 'recorded' });
    const run = await runLedger(['run', 'RecordDefinedCost', '--alliance', 'sma', '--data', '{"schemeId":"A","periodId":"2026-Q1","costId":"CLI-2","amount":"1.005"}'], env());
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ code: 'invalid_command', errors: [expect.objectContaining({ field: 'amount' })] });
  });

  it('proposes as the operator and approves as a second person with their token', async () => {
    expect((await runLedger(['propose-period-close', '--alliance', 'sma', '--period', '2026-Q1'], env())).code).toBe(0);
    const self = await runLedger(['approve-period-close', '--alliance', 'sma', '--period', '2026-Q1'], env());
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('four_eyes');
    expect((await runLedger(['grant', '--alliance', 'sma', '--subject', 'ann@example', '--role', 'approver'], env())).code).toBe(0);
    const token = (await runLedger(['token', '--subject', 'ann@example'], env())).stdout.trim();
    const approved = await runLedger(['approve-period-close', '--alliance', 'sma', '--period', '2026-Q1', '--token', token], env());
    expect(approved.code).toBe(0);
    const closed = JSON.parse((await runLedger(['events', '--alliance', 'sma', '--type', 'PeriodClosed', '--order', 'newest'], env())).stdout);
    expect(closed.events).toHaveLength(1);
    expect(closed.events[0].metadata.actor).toBe('ann@example');
    const byId = JSON.parse((await runLedger(['events', '--alliance', 'sma', '--q', 'CLI-1'], env())).stdout);
    expect(byId.events.map((event: { type: string }) => event.type)).toEqual(['DefinedCostRecorded']);
  }, 60_000);

  it('prints the answer on stdout and nothing at all on stderr when a command succeeds, at the CLI’s own log level', async () => {
    const quiet = { LEDGER_DATA_DIR: dataDir, LOG_LEVEL: undefined };
    for (const args of [
      ['--help'],
      ['events', '--alliance', 'sma', '--limit', '1'],
      ['summary', '--alliance', 'sma', '--period', '2026-Q1'],
      ['grant', '--alliance', 'sma', '--subject', 'quiet@example', '--role', 'auditor'],
    ]) {
      const result = await runLedger(args, quiet);
      expect([args[0], result.code, result.stderr]).toEqual([args[0], 0, '']);
      expect(result.stdout.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
