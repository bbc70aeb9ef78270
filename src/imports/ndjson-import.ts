import { Principal } from '../access/identity/principal';
import { CommandBus } from '@nestjs/cqrs';
import { HttpLimits } from '../config/app-config';
import { ImportCommands } from './import-commands';
import { ImportReport } from './import-session';
import { NdjsonLineError, ndjsonLines } from './ndjson-lines';

/** The line limits an import is read with, from the configuration. */
export function importLimits(limits: HttpLimits) {
  return {
    maxLineBytes: limits.maxImportLineBytes,
    maxBytes: limits.maxImportBytes,
    lineVariable: 'LEDGER_MAX_IMPORT_LINE_BYTES',
    totalVariable: 'LEDGER_MAX_IMPORT_BYTES',
  };
}

/**
 * Imports NDJSON bytes (an HTTP body or a file) through the bounded line reader. A line that
 * cannot be read (too long, not UTF-8, past the import's size) stops the import like a refused
 * line: the lines before it are applied, and the report names it.
 */
export async function importNdjson(
  commands: CommandBus,
  allianceId: string | null,
  bytes: AsyncIterable<Uint8Array | string>,
  principal: Principal,
  origin: ImportCommands['origin'],
  limits: ReturnType<typeof importLimits>,
): Promise<ImportReport> {
  let unreadable: NdjsonLineError | null = null;
  async function* readable(): AsyncGenerator<string> {
    try {
      yield* ndjsonLines(bytes, limits);
    } catch (error) {
      if (!(error instanceof NdjsonLineError)) throw error;
      unreadable = error;
    }
  }
  const report = await commands.execute<ImportCommands, ImportReport>(new ImportCommands(allianceId, readable(), principal, origin));
  const stop = unreadable as NdjsonLineError | null;
  if (stop && !report.error) {
    report.status = 'stopped';
    report.linesRead += 1;
    report.error = { line: stop.line, code: stop.refusal.code, kind: stop.refusal.kind, message: stop.message, errors: [...stop.refusal.errors] };
  }
  return report;
}
