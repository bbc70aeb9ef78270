import { Fraction } from '../shared/fraction';

export type Better = 'higher' | 'lower';

export interface Ranked<Row> {
  row: Row;
  value: Fraction;
  /** 1 is the best; ties share the better rank. */
  rank: number;
  /** 1: the best quarter of the field … 4: the worst. */
  quartile: 1 | 2 | 3 | 4;
}

export interface Quartiles {
  q1: Fraction;
  median: Fraction;
  q3: Fraction;
}

/**
 * Ranks the rows that have a value, best first. Rows without one (a missing KPI, no target) are
 * left out of the field rather than ranked last. The quartile is the quarter of the field the rank
 * falls in, floor(4 × (rank − 1) / n) + 1: the best is always in the first, and with four rows
 * each is its own quartile.
 */
export function rank<Row>(rows: readonly Row[], valueOf: (row: Row) => Fraction | null, better: Better): Array<Ranked<Row>> {
  const valued = rows.flatMap((row) => {
    const value = valueOf(row);
    return value === null ? [] : [{ row, value }];
  });
  const sign = better === 'higher' ? -1 : 1;
  valued.sort((a, b) => sign * a.value.compare(b.value));
  const n = valued.length;
  let previous: { value: Fraction; rank: number } | undefined;
  return valued.map(({ row, value }, index) => {
    const position = previous && previous.value.eq(value) ? previous.rank : index + 1;
    previous = { value, rank: position };
    return { row, value, rank: position, quartile: (Math.floor((4 * (position - 1)) / n) + 1) as 1 | 2 | 3 | 4 };
  });
}

/** Q1, median and Q3 of the values, interpolated between neighbours as spreadsheets' QUARTILE.INC does. Null for no values. */
export function quartiles(values: readonly Fraction[]): Quartiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a.compare(b));
  const at = (p: bigint) => {
    // Position (n − 1) × p / 4, exactly.
    const scaled = BigInt(sorted.length - 1) * p;
    const low = Number(scaled / 4n);
    const remainder = Fraction.of(scaled % 4n, 4n);
    const high = Math.min(low + 1, sorted.length - 1);
    return sorted[low].add(sorted[high].sub(sorted[low]).mul(remainder));
  };
  return { q1: at(1n), median: at(2n), q3: at(3n) };
}
