import { allianceDecider } from '../alliance/domain/alliance.decider';
import { AllianceContext, AllianceScopedDto, AnyCommandDefinition, CommandServices } from '../commanding/command-definition';
import { CommandCatalogue } from '../commanding/command-catalogue';
import { commandDigest } from '../commanding/command-metadata';
import { decideCommand } from '../commanding/decide-command';
import { catchUp, emptyStream, fold, LoadedStream } from '../commanding/loaded-stream';
import { KeyedLock } from '../commanding/keyed-lock';
import { asDomainError } from '../commanding/store-errors';
import { FoldedStreams } from './folded-streams';
import { EventIdConflictError, EventStore, NewEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { periodsDecider } from '../periods/domain/periods.decider';
import { addToAllianceTotals, AllianceTotals, NO_TOTALS } from '../schemes/domain/alliance-totals';
import { canonicalJson } from '../shared/canonical-json';
import { Clock } from '../shared/clock';
import { Decider, DomainEvent } from '../shared/decider';
import { conflict, DomainError, ErrorKind, FieldError, invalid, isDomainError } from '../shared/domain-error';
import { LEDGER_ID_PATTERN } from '../shared/ids';
import { streamNames } from '../shared/stream-names';
import { parseStrictJson } from '../shared/strict-json';
import { TimeSlices } from '../shared/time-slices';
import { validateDto } from '../shared/validation';

export interface ImportReport {
  importId: string;
  allianceId: string | null;
  status: 'completed' | 'stopped';
  /** Non-blank lines read, including the one that stopped the import. */
  linesRead: number;
  recorded: number;
  /** Lines the ledger already reflected (same natural id and content), so nothing was recorded. */
  unchanged: number;
  /** Lines whose command id had already been applied: a re-run of the same file. */
  duplicates: number;
  events: number;
  error: { line: number; code: string; kind: ErrorKind; message: string; errors: FieldError[] } | null;
}

export interface ImportDependencies {
  store: EventStore;
  catalogue: CommandCatalogue;
  services: CommandServices;
  clock: Clock;
  /** Runs each line with the caller's rights; a line the caller may not run stops the import (403). */
  authorize?(command: string, data: Record<string, unknown>): Promise<void>;
  /**
   * Shared by the imports of one instance: an import holds its alliance's lock while it catches up,
   * decides a chunk of lines and writes it, so imports on one instance never overtake each other.
   */
  locks?: KeyedLock;
  /** Streams earlier imports folded: taken at the start, caught up by revision, given back at the end. */
  folded?: FoldedStreams;
}

interface PendingCommand {
  line: number;
  definition: AnyCommandDefinition;
  request: AllianceScopedDto;
  prepared: unknown;
  commandId: string;
  digest: string;
  events: NewEvent[];
}

interface SessionStream {
  loaded: LoadedStream<unknown>;
  decider: Decider<unknown, DomainEvent, unknown>;
  /** The revision the store holds; pending events sit above it. */
  committedRevision: bigint;
  pending: PendingCommand[];
}

/** A line failed: the line number and the refusal. */
class LineFailure extends Error {
  constructor(
    readonly line: number,
    readonly refusal: DomainError,
  ) {
    super(refusal.message);
  }
}

interface NumberedLine {
  line: number;
  text: string;
}

const FLUSH_AT_EVENTS = 10000;
/** Lines decided and written under the alliance's lock at a time; between chunks other imports may write. */
const CHUNK_LINES = 10000;
/** Appends tried on fresh state before a stream that keeps changing stops the import (409 concurrency_conflict). */
const MAX_ATTEMPTS = 8;
/**
 * Deciding a chunk gives the event loop back this often (ms): reads, other requests and the
 * projection carry on during a large import instead of waiting for its whole chunk.
 */
const SLICE_MS = 10;

/**
 * Applies an NDJSON file of commands, one a line, through the same definitions and decision step
 * as single commands. The streams it touches stay folded in memory and events are appended in
 * batches with expected revisions. The first bad line stops the import: everything before it is
 * written, nothing after it is, and re-running the file skips what was applied (command ids, or
 * ids implied by each line's content and its occurrence in the file).
 */
export class ImportSession {
  private readonly streams = new Map<string, SessionStream>();
  private readonly occurrences = new Map<string, number>();
  /** Explicit command ids this import used, and the stream and line each went to. */
  private readonly commandStreams = new Map<string, { stream: string; line: number }>();
  private pendingEvents = 0;
  private contextLoaded = false;
  /** The alliance's totals in the store plus what this import has decided but not yet written. */
  private totals: AllianceTotals = NO_TOTALS;
  private readonly report: ImportReport;
  private readonly locks: KeyedLock;

  constructor(
    private readonly deps: ImportDependencies,
    private allianceId: string | null,
    private readonly origin: { importId: string; actor: string; correlationId?: string },
  ) {
    this.locks = deps.locks ?? new KeyedLock();
    this.report = { importId: origin.importId, allianceId, status: 'completed', linesRead: 0, recorded: 0, unchanged: 0, duplicates: 0, events: 0, error: null };
  }

  async run(lines: AsyncIterable<string>): Promise<ImportReport> {
    let lineNumber = 0;
    let chunk: NumberedLine[] = [];
    let stopped = false;
    let completed = false;
    try {
      for await (const text of lines) {
        lineNumber += 1;
        if (text.trim() === '') continue;
        chunk.push({ line: lineNumber, text });
        if (chunk.length < CHUNK_LINES) continue;
        stopped = await this.applyChunk(chunk);
        chunk = [];
        if (stopped) break;
      }
      if (!stopped && chunk.length > 0) stopped = await this.applyChunk(chunk);
      completed = !stopped;
    } finally {
      this.giveBack(completed);
    }
    this.report.allianceId = this.allianceId;
    return this.report;
  }

  /**
   * Hands the streams on to the next import once every line was written: they then hold exactly
   * what the store holds. A stopped import may have folded lines it never wrote, so its streams
   * are dropped and read afresh next time.
   */
  private giveBack(completed: boolean): void {
    if (this.deps.folded && completed) {
      for (const stream of this.streams.values()) {
        if (stream.pending.length === 0 && stream.loaded.revision === stream.committedRevision) this.deps.folded.give(stream.loaded);
      }
    }
    this.streams.clear();
  }

  /**
   * Under the alliance's lock: catch up with what other writers appended since the last chunk,
   * decide the lines, write them. True when a line stopped the import.
   */
  private applyChunk(chunk: readonly NumberedLine[]): Promise<boolean> {
    return this.locks.run(this.allianceId ?? allianceNamedBy(chunk[0].text) ?? '', async () => {
      try {
        await this.refresh();
        const slices = new TimeSlices(SLICE_MS, 16);
        for (const { line, text } of chunk) {
          if (slices.due()) await slices.yield();
          this.report.linesRead += 1;
          try {
            await this.applyLine(text, line);
          } catch (error) {
            const refusal = asDomainError(error);
            throw isDomainError(refusal) ? new LineFailure(line, refusal) : refusal;
          }
          if (this.pendingEvents >= FLUSH_AT_EVENTS) await this.flush();
        }
        await this.flush();
        return false;
      } catch (error) {
        if (!(error instanceof LineFailure)) throw error;
        await this.flushBeforeStopping(error);
        return true;
      }
    });
  }

  private async applyLine(text: string, line: number): Promise<void> {
    const envelope = parseEnvelope(text);
    const definition = this.deps.catalogue.get(envelope.command);
    const data = { ...envelope.data };
    this.allianceId ??= typeof data.allianceId === 'string' && LEDGER_ID_PATTERN.test(data.allianceId) ? data.allianceId : null;
    if (this.allianceId === null) throw invalid('data.allianceId', 'is needed on the first line when the import does not name its alliance');
    if (data.allianceId === undefined) data.allianceId = this.allianceId;
    else if (data.allianceId !== this.allianceId) {
      throw invalid('data.allianceId', `names alliance ${String(data.allianceId)}, but this import is for ${this.allianceId}`, 'wrong_alliance');
    }
    await this.deps.authorize?.(definition.name, data);
    const request = validateLine(definition, data);
    const digest = commandDigest(definition.name, canonicalJson(request));
    const commandId = envelope.commandId ?? this.impliedCommandId(digest);
    if (definition.prepare) await this.flush();
    const prepared = definition.prepare ? await definition.prepare(request, this.deps.services) : undefined;
    const streamName = definition.stream(request);
    if (envelope.commandId !== undefined) this.claimInThisImport(envelope.commandId, streamName, line);
    const target = this.streams.get(streamName) ?? (await this.stream(streamName, definition.decider));
    const pending: PendingCommand = { line, definition, request, prepared, commandId, digest, events: [] };
    this.decideInto(target, pending, this.contextLoaded ? this.currentContext() : await this.context());
    if (definition.changesContext) await this.flush();
  }

  private decideInto(target: SessionStream, pending: PendingCommand, context: AllianceContext): void {
    const metadata = { commandId: pending.commandId, actor: this.origin.actor, correlationId: this.origin.correlationId ?? this.origin.importId, causationId: this.origin.importId };
    const recordedAt = this.deps.clock.now().toISOString();
    // Spelt out rather than spread from `pending`: copying a spread and adding to it costs more than the decision's own bookkeeping.
    const { definition, request, prepared, digest } = pending;
    const decision = decideCommand({ definition, request, prepared, digest, context, target: target.loaded, metadata, recordedAt });
    if (decision.outcome === 'duplicate') this.report.duplicates += 1;
    else if (decision.outcome === 'unchanged') this.report.unchanged += 1;
    else {
      pending.events = decision.events;
      for (const event of decision.events) {
        fold(target.loaded, target.decider, { type: event.type, data: event.data, metadata: event.metadata!, revision: target.loaded.revision + 1n });
        this.totals = addToAllianceTotals(this.totals, event);
      }
      target.pending.push(pending);
      this.pendingEvents += decision.events.length;
      this.report.recorded += 1;
      this.report.events += decision.events.length;
    }
  }

  /**
   * Appends every stream's pending events. A stream another writer changed meanwhile is reloaded
   * and its lines decided again on fresh state, with jittered back-off, up to MAX_ATTEMPTS times.
   * A line whose command id the alliance already holds elsewhere stops the import there; the lines
   * before it on its stream are still written.
   */
  private async flush(): Promise<void> {
    let reused: LineFailure | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const waiting = [...this.streams.values()].filter((stream) => stream.pending.length > 0);
      if (waiting.length === 0) break;
      const appending = waiting.map((stream) => stream.pending.flatMap((pending) => pending.events));
      const outcomes = await Promise.allSettled(
        waiting.map((stream, index) =>
          this.deps.store.append(stream.loaded.streamName, appending[index], { expectedRevision: stream.committedRevision < 0n ? 'no_stream' : stream.committedRevision }),
        ),
      );
      const conflicted: SessionStream[] = [];
      const failed: Array<{ stream: SessionStream; reason: unknown }> = [];
      let contended = false;
      outcomes.forEach((outcome, index) => {
        const stream = waiting[index];
        if (outcome.status === 'fulfilled') {
          stream.committedRevision = outcome.value.nextExpectedRevision;
          stream.pending = [];
          this.deps.services.appended?.(this.allianceId!, stream.loaded.streamName, appending[index], outcome.value);
          return;
        }
        const { reason } = outcome;
        const offender = reason instanceof EventIdConflictError ? stream.pending.findIndex((pending) => pending.events.some((event) => event.id === reason.eventId)) : -1;
        if (offender > 0) {
          const line = stream.pending[offender].line;
          if (!reused || line < reused.line) reused = new LineFailure(line, asDomainError(reason) as DomainError);
          this.uncount(stream.pending.slice(offender));
          stream.pending = stream.pending.slice(0, offender);
          conflicted.push(stream);
        } else if (reason instanceof WrongExpectedRevisionError && attempt < MAX_ATTEMPTS) {
          contended = true;
          conflicted.push(stream);
        } else {
          failed.push({ stream, reason: reason instanceof WrongExpectedRevisionError ? keptChanging(stream.loaded.streamName) : reason });
        }
      });
      if (failed.length > 0) throw earliest(this.unwritten(failed), reused);
      if (contended) await delay(Math.random() * Math.min(10 * 2 ** attempt, 1000));
      for (const stream of conflicted) await this.redecide(stream);
    }
    this.pendingEvents = 0;
    if (reused) throw reused;
    await this.refresh();
  }

  /** After a flush, picks up what other writers appended to the streams this import holds. */
  private async refresh(): Promise<void> {
    for (const stream of this.streams.values()) {
      await catchUp(this.deps.store, stream.loaded, stream.decider);
      stream.committedRevision = stream.loaded.revision;
    }
    if (this.contextLoaded) await this.reloadTotals();
  }

  /** The store's totals (with what other writers added) plus the events still pending here. */
  private async reloadTotals(): Promise<void> {
    let totals = await this.deps.services.allianceTotals(this.allianceId!);
    for (const stream of this.streams.values()) {
      for (const pending of stream.pending) totals = pending.events.reduce(addToAllianceTotals, totals);
    }
    this.totals = totals;
  }

  /** Streams whose append failed: their lines were not written; the earliest of them is where the import stopped. */
  private unwritten(failed: Array<{ stream: SessionStream; reason: unknown }>): unknown {
    for (const { stream } of failed) this.uncount(stream.pending);
    const first = failed.reduce((earliest, candidate) => (candidate.stream.pending[0].line < earliest.stream.pending[0].line ? candidate : earliest));
    const line = first.stream.pending[0].line;
    for (const { stream } of failed) stream.pending = [];
    const refusal = asDomainError(first.reason);
    return isDomainError(refusal) ? new LineFailure(line, refusal) : refusal;
  }

  /** Reloads a stream another writer changed and decides its pending lines again, against fresh context too. */
  private async redecide(stream: SessionStream): Promise<void> {
    const commands = stream.pending;
    this.uncount(commands);
    stream.loaded = await catchUp(this.deps.store, emptyStream(stream.loaded.streamName, stream.decider), stream.decider);
    stream.committedRevision = stream.loaded.revision;
    stream.pending = [];
    await this.context();
    for (const held of this.contextStreams()) {
      if (held.pending.length > 0) continue;
      await catchUp(this.deps.store, held.loaded, held.decider);
      held.committedRevision = held.loaded.revision;
    }
    const context = this.currentContext();
    for (const pending of commands) {
      try {
        this.decideInto(stream, { ...pending, events: [] }, context);
      } catch (error) {
        if (isDomainError(error)) throw new LineFailure(pending.line, error);
        throw error;
      }
    }
  }

  private uncount(commands: readonly PendingCommand[]): void {
    this.report.recorded -= commands.length;
    this.report.events -= commands.reduce((total, pending) => total + pending.events.length, 0);
  }

  private contextStreams(): SessionStream[] {
    const allianceId = this.allianceId!;
    return [streamNames.alliance(allianceId), streamNames.periods(allianceId)].map((name) => this.streams.get(name)!);
  }

  /** Writes what the lines before the failing one decided, then records the failure in the report. */
  private async flushBeforeStopping(failure: LineFailure): Promise<void> {
    let stoppedAt = failure;
    for (const stream of this.streams.values()) {
      const kept = stream.pending.filter((pending) => pending.line < failure.line);
      if (kept.length < stream.pending.length) {
        this.uncount(stream.pending.slice(kept.length));
        stream.pending = kept;
      }
    }
    try {
      await this.flush();
    } catch (error) {
      if (!(error instanceof LineFailure)) throw error;
      stoppedAt = error.line < failure.line ? error : failure;
    }
    this.report.status = 'stopped';
    this.report.error = {
      line: stoppedAt.line,
      code: stoppedAt.refusal.code,
      kind: stoppedAt.refusal.kind,
      message: `line ${stoppedAt.line}: ${stoppedAt.refusal.message}`,
      errors: [...stoppedAt.refusal.errors],
    };
  }

  private async context(): Promise<AllianceContext> {
    const allianceId = this.allianceId!;
    await this.stream(streamNames.alliance(allianceId), allianceDecider);
    await this.stream(streamNames.periods(allianceId), periodsDecider);
    await this.reloadTotals();
    this.contextLoaded = true;
    return this.currentContext();
  }

  /** The alliance's configuration and periods as this import holds them, once loaded: no I/O per line. */
  private currentContext(): AllianceContext {
    const allianceId = this.allianceId!;
    return {
      allianceId,
      alliance: this.streams.get(streamNames.alliance(allianceId))!.loaded.state as AllianceContext['alliance'],
      periods: this.streams.get(streamNames.periods(allianceId))!.loaded.state as AllianceContext['periods'],
      totals: this.totals,
    };
  }

  /** A stream as this import sees it: read once, then kept up to date by what the import decides and by each flush. */
  private async stream(streamName: string, decider: Decider<unknown, DomainEvent, unknown>): Promise<SessionStream> {
    let stream = this.streams.get(streamName);
    if (!stream) {
      const loaded = await catchUp(this.deps.store, this.deps.folded?.take(streamName) ?? emptyStream(streamName, decider), decider);
      stream = { loaded, decider, committedRevision: loaded.revision, pending: [] };
      this.streams.set(streamName, stream);
    }
    return stream;
  }

  /**
   * A line without a command id is identified by its content (the command's digest; the alliance
   * is in the data) and how many identical lines came before it in the file.
   */
  /**
   * A command id names one command in the whole alliance. Two lines of one file giving it to
   * commands on different streams are refused here, at the second line, before anything after it
   * is decided: the store would only refuse it when the batch is written, after other streams'
   * later lines (docs/api.md, imports). The same stream's own check is in decideCommand.
   */
  private claimInThisImport(commandId: string, stream: string, line: number): void {
    const earlier = this.commandStreams.get(commandId);
    if (!earlier) this.commandStreams.set(commandId, { stream, line });
    else if (earlier.stream !== stream) throw conflict('command_id_reused', 'commandId', `was already used on line ${earlier.line} of this import for a different command`);
  }

  private impliedCommandId(digest: string): string {
    const occurrence = (this.occurrences.get(digest) ?? 0) + 1;
    this.occurrences.set(digest, occurrence);
    return `line:${digest}:${occurrence}`;
  }
}

interface Envelope {
  command: string;
  commandId?: string;
  data: Record<string, unknown>;
}

function parseEnvelope(text: string): Envelope {
  const parsed = parseStrictJson(text, { root: 'line' });
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('line', 'must be a JSON object: {"command": …, "data": {…}}');
  const { command, commandId, data } = parsed as Record<string, unknown>;
  const unknown = Object.keys(parsed).find((key) => key !== 'command' && key !== 'commandId' && key !== 'data');
  if (unknown !== undefined) throw invalid(unknown, 'is not a field of an import line (command, commandId, data)');
  if (typeof command !== 'string') throw invalid('command', 'is required: the name of the command');
  if (commandId !== undefined && (typeof commandId !== 'string' || commandId.length === 0 || commandId.length > 200)) {
    throw invalid('commandId', 'must be a string of 1–200 characters');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid('data', 'must be a JSON object');
  return { command, commandId: commandId as string | undefined, data: data as Record<string, unknown> };
}

function validateLine(definition: AnyCommandDefinition, data: Record<string, unknown>): AllianceScopedDto {
  try {
    return validateDto(definition.dto, data) as AllianceScopedDto;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const errors = error.errors.map((item) => ({ field: `data.${item.field}`, reason: item.reason }));
    throw new DomainError(error.code, error.kind, errors.map((item) => `${item.field}: ${item.reason}`).join('; '), errors);
  }
}

function keptChanging(streamName: string): DomainError {
  return conflict('concurrency_conflict', 'revision', `stream ${streamName} kept changing under ${MAX_ATTEMPTS} attempts; post the file again to apply the rest`);
}

function earliest(failure: unknown, other: LineFailure | undefined): unknown {
  return other && failure instanceof LineFailure && other.line < failure.line ? other : failure;
}

/** The alliance a line names, to choose the lock before the line is parsed properly. */
function allianceNamedBy(text: string): string | undefined {
  try {
    const allianceId = (JSON.parse(text) as { data?: { allianceId?: unknown } })?.data?.allianceId;
    return typeof allianceId === 'string' ? allianceId : undefined;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Splits text into lines, for imports given as a whole string. */
export async function* linesOf(text: string): AsyncIterable<string> {
  for (const line of text.split(/\r?\n/)) yield line;
}
