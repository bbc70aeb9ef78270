import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_MODELS } from '../read-models/read-models.token';
import { ReadModelStore } from '../read-models/read-model-data-source';
import { LedgerState } from '../settlement/domain/ledger';
import { SettlementProjector } from '../settlement/read-models/settlement-projector';
import { parseWithBigints } from '../shared/bigint-json';
import { invalid } from '../shared/domain-error';
import { Fraction } from '../shared/fraction';
import { LEDGER_PREFIX } from '../shared/stream-names';
import { AllianceYear, benchmarkAlliance, RoleBenchmark, SchemeBenchmark } from './benchmark-figures';
import { readEventFacts } from './data-quality.query';
import { Better, quartiles, rank } from './ranking';

/** The benchmark as seen from one alliance; `named`: every alliance by name, else the others anonymised. */
export class GetBenchmark {
  constructor(
    readonly allianceId: string,
    readonly named: boolean,
    readonly year?: string,
  ) {}
}

type Labelled<Row> = Omit<Row, 'allianceId' | 'name'> & { label: string; allianceId: string | null; name?: string | null };

export interface Ranking {
  measure: string;
  better: Better;
  quartiles: { q1: string; median: string; q3: string } | null;
  ranked: Array<{ label: string; schemeId?: string; value: string; rank: number; quartile: number }>;
}

export interface Benchmark {
  viewer: { allianceId: string; named: boolean };
  year: string | null;
  years: string[];
  alliances: Array<Labelled<AllianceYear>>;
  schemes: Array<Labelled<SchemeBenchmark>>;
  roles: Array<Labelled<RoleBenchmark>>;
  rankings: Ranking[];
}

/**
 * Benchmarks every alliance of the deployment on the same measures, from the projected ledgers
 * (recomputed by the settlement's own pure functions) and a pass over the few event types the
 * data-quality flags need.
 */
@QueryHandler(GetBenchmark)
export class GetBenchmarkHandler implements IQueryHandler<GetBenchmark, Benchmark> {
  constructor(
    private readonly projector: SettlementProjector,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ allianceId, named, year }: GetBenchmark): Promise<Benchmark> {
    if (year !== undefined && !/^\d{4}$/.test(year)) throw invalid('year', 'must be a year written YYYY', 'invalid_query');
    await this.projector.waitUntilCurrent();
    const states = (await this.readModels.dataSource.manager.find(this.readModels.entities.LedgerState)).map((row) => parseWithBigints<LedgerState>(row.state));
    const facts = await readEventFacts(this.store, LEDGER_PREFIX);
    const figures = states.map((state) => benchmarkAlliance(state, facts.get(state.allianceId) ?? { measurementChanges: [], incidentsWithoutPartner: [] }));
    const years = [...new Set(figures.flatMap((figure) => figure.years.map((row) => row.year)))].sort();
    const chosen = year ?? years[years.length - 1] ?? null;
    const label = labeller(states.map((state) => state.allianceId), allianceId, named);

    const alliances = figures.flatMap((figure) => figure.years).filter((row) => row.year === chosen);
    const schemes = figures.flatMap((figure) => figure.schemes).filter((row) => row.year === chosen);
    const roles = figures.flatMap((figure) => figure.roles).filter((row) => row.year === chosen);
    const schemeLabel = schemeLabeller(schemes, allianceId, named);

    const measure = (name: string, better: Better, valueOf: (row: AllianceYear) => string | null): Ranking => ranking(name, better, alliances, (row) => valueOf(row), (row) => ({ label: label(row.allianceId) }));
    const kpiIds = [...new Set(alliances.flatMap((row) => Object.keys(row.kpis)))].sort();
    const rankings = [
      measure('cost.ratio', 'lower', (row) => row.cost.ratio),
      measure('cost.gainPainPerPound', 'higher', (row) => row.cost.gainPainPerPound),
      measure('safety.afr', 'lower', (row) => row.safety.afr),
      measure('safety.incidents', 'lower', (row) => String(row.safety.incidents)),
      measure('score', 'higher', (row) => row.score),
      measure('timeOnSite.percent', 'lower', (row) => row.timeOnSite.percent),
      ...kpiIds.map((kpiId) => measure(`kpis.${kpiId}`, 'higher', (row) => row.kpis[kpiId] ?? null)),
      ranking('scheme.ratio', 'lower', schemes, (row) => row.ratio, (row) => ({ label: label(row.allianceId), schemeId: schemeLabel(row) })),
      ranking('role.perPoundOfTarget', 'higher', roles, (row) => row.perPoundOfTarget, (row) => ({ label: `${label(row.allianceId)} · ${row.role}` })),
    ];

    const own = (id: string) => named || id === allianceId;
    return {
      viewer: { allianceId, named },
      year: chosen,
      years,
      alliances: alliances.map((row) => ({
        ...row,
        label: label(row.allianceId),
        allianceId: own(row.allianceId) ? row.allianceId : null,
        name: own(row.allianceId) ? row.name : null,
        // Another alliance's period ids could identify it: its row and flags keep counts only.
        periods: own(row.allianceId) ? row.periods : [],
        flags: own(row.allianceId) ? row.flags : row.flags.map((flag) => ({ ...flag, periods: [] })),
      })),
      schemes: schemes.map((row) => ({ ...row, label: label(row.allianceId), allianceId: own(row.allianceId) ? row.allianceId : null, schemeId: schemeLabel(row) })),
      roles: roles.map((row) => ({ ...row, label: label(row.allianceId), allianceId: own(row.allianceId) ? row.allianceId : null })),
      rankings,
    };
  }
}

function ranking<Row>(measure: string, better: Better, rows: readonly Row[], valueOf: (row: Row) => string | null, describe: (row: Row) => { label: string; schemeId?: string }): Ranking {
  const ranked = rank(rows, (row) => {
    const value = valueOf(row);
    return value === null ? null : Fraction.fromDecimal(value);
  }, better);
  const spread = quartiles(ranked.map((entry) => entry.value));
  return {
    measure,
    better,
    quartiles: spread && { q1: spread.q1.toFixed(6), median: spread.median.toFixed(6), q3: spread.q3.toFixed(6) },
    ranked: ranked.map((entry) => ({ ...describe(entry.row), value: valueOf(entry.row)!, rank: entry.rank, quartile: entry.quartile })),
  };
}

/**
 * Names every alliance when `named`; otherwise the viewer's own by its id and the others
 * "Alliance A", "Alliance B"… in an order that says nothing about their ids or names (a digest).
 */
export function labeller(allianceIds: readonly string[], viewer: string, named: boolean): (allianceId: string) => string {
  if (named) return (allianceId) => allianceId;
  const digest = (id: string) => createHash('sha256').update(`alliance-ledger:benchmark:${id}`).digest('hex');
  const others = allianceIds.filter((id) => id !== viewer).sort((a, b) => digest(a).localeCompare(digest(b)));
  const labels = new Map(others.map((id, index) => [id, `Alliance ${letters(index)}`]));
  return (allianceId) => (allianceId === viewer ? allianceId : (labels.get(allianceId) ?? 'Alliance ?'));
}

function schemeLabeller(schemes: readonly SchemeBenchmark[], viewer: string, named: boolean): (row: SchemeBenchmark) => string {
  const numbers = new Map<string, number>();
  for (const allianceId of new Set(schemes.map((row) => row.allianceId))) {
    schemes.filter((row) => row.allianceId === allianceId).forEach((row, index) => numbers.set(`${allianceId}\u0000${row.schemeId}`, index + 1));
  }
  return (row) => (named || row.allianceId === viewer ? row.schemeId : `scheme ${numbers.get(`${row.allianceId}\u0000${row.schemeId}`)}`);
}

function letters(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `${letters(Math.floor(index / 26) - 1)}${String.fromCharCode(65 + (index % 26))}`;
}
