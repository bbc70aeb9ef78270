import { ClassConstructor } from 'class-transformer';
import { AllianceState } from '../alliance/domain/alliance.decider';
import { PeriodsState } from '../periods/domain/periods.decider';
import { AllianceTotals } from '../schemes/domain/alliance-totals';
import { CertificateFigures, CertificateSealer } from '../settlement/domain/summary.types';
import { AppendResult } from '../event-store/event-store.port';
import { Decider, DomainEvent } from '../shared/decider';

export interface AllianceScopedDto {
  allianceId: string;
}

/** The alliance's configuration and periods: what fact commands look up before deciding. */
export interface AllianceContext {
  allianceId: string;
  alliance: AllianceState;
  periods: PeriodsState;
  /** The alliance's recorded target and cost across its schemes, for the bounds on them. */
  totals: AllianceTotals;
}

/** The provider of the CertificateSealer that signs period certificates (src/integrity). */
export const CERTIFICATE_SEALER = Symbol('CertificateSealer');

/** What a command may need beyond its alliance's context, fetched before deciding. */
export interface CommandServices {
  /** The figures closing the period would certify, recomputed from every event recorded so far. */
  certifyPeriod(allianceId: string, periodId: string): Promise<CertificateFigures>;
  /** How many facts (scheme, safety and measurement events) name the period, read from the event store. */
  countFacts(allianceId: string, periodId: string): Promise<number>;
  /** Signs a period's certificate (Ed25519); absent where no signing keys are configured. */
  readonly sealCertificate?: CertificateSealer;
  /** Today's calendar date (UTC, `YYYY-MM-DD`) by the ledger's clock. */
  today(): string;
  /** The alliance's totals as the event store holds them now. */
  allianceTotals(allianceId: string): Promise<AllianceTotals>;
  /** Tells allianceTotals what this process has just appended to one of the alliance's streams, so it need not read it back. */
  appended?(allianceId: string, streamName: string, events: readonly DomainEvent[], result: AppendResult): void;
}

/**
 * One use case: its request shape, the stream it writes, how a validated request plus the
 * alliance's context becomes a domain command, and the decider that judges it. HTTP, the NDJSON
 * import and the command bus all run commands through these definitions.
 */
export interface CommandDefinition<Dto extends AllianceScopedDto, Command, Event extends DomainEvent, State, Prepared = undefined> {
  name: string;
  dto: ClassConstructor<Dto>;
  decider: Decider<Command, Event, State>;
  stream(dto: Dto): string;
  /**
   * `actor` is the subject running the command, for the rules that are about who acts (four eyes,
   * sign-off); `recordedAt` is the time its events will carry, for facts that record when.
   */
  toCommand(dto: Dto, context: AllianceContext, prepared: Prepared, actor: string, recordedAt: string): Command;
  prepare?(dto: Dto, services: CommandServices): Promise<Prepared>;
  /** Writes the alliance or periods stream that other commands look up. */
  changesContext?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandDefinition = CommandDefinition<any, any, any, any, any>;

export function defineCommand<Dto extends AllianceScopedDto, Command, Event extends DomainEvent, State, Prepared = undefined>(
  definition: CommandDefinition<Dto, Command, Event, State, Prepared>,
): CommandDefinition<Dto, Command, Event, State, Prepared> {
  return definition;
}
