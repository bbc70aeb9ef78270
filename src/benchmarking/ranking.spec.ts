import { Fraction } from '../shared/fraction';
import { quartiles, rank } from './ranking';

const f = (text: string) => Fraction.fromDecimal(text);

describe('rankings', () => {
  it('ranks best first either way, leaves rows without a value out, and ties share the better rank', () => {
    const rows = [{ id: 'a', v: '0.9' }, { id: 'b', v: null }, { id: 'c', v: '1.1' }, { id: 'd', v: '1.0' }, { id: 'e', v: '1.0' }];
    const lower = rank(rows, (row) => (row.v === null ? null : f(row.v)), 'lower');
    expect(lower.map((entry) => [entry.row.id, entry.rank, entry.quartile])).toEqual([['a', 1, 1], ['d', 2, 2], ['e', 2, 2], ['c', 4, 4]]);
    const higher = rank(rows, (row) => (row.v === null ? null : f(row.v)), 'higher');
    expect(higher.map((entry) => entry.row.id)).toEqual(['c', 'd', 'e', 'a']);
  });

  it('puts the best in the first quartile whatever the size of the field', () => {
    const worst: Record<number, number> = { 1: 1, 2: 3, 3: 3, 5: 4, 8: 4 };
    for (const n of [1, 2, 3, 5, 8]) {
      const ranked = rank(Array.from({ length: n }, (_, index) => index), (index) => Fraction.of(BigInt(index)), 'lower');
      expect(ranked[0].quartile).toBe(1);
      expect([n, ranked[n - 1].quartile]).toEqual([n, worst[n]]);
    }
  });

  it('takes quartiles as QUARTILE.INC does, exactly', () => {
    const spread = quartiles([f('1.1'), f('0.9'), f('1.0')])!;
    expect([spread.q1.toFixed(6), spread.median.toFixed(6), spread.q3.toFixed(6)]).toEqual(['0.950000', '1.000000', '1.050000']);
    const four = quartiles([1, 2, 3, 4].map((value) => Fraction.of(BigInt(value))))!;
    expect([four.q1.toFixed(2), four.median.toFixed(2), four.q3.toFixed(2)]).toEqual(['1.75', '2.50', '3.25']);
    expect(quartiles([])).toBeNull();
  });
});
