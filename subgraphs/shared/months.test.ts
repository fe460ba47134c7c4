import { describe, expect, it } from 'vitest';
import { monthIndex } from './arguments.js';
import { eachMonth, monthOf, monthsBetween } from './months.js';

describe('months', () => {
  it('lists every month of a range in order, across a year end', () => {
    expect(monthsBetween('2020-11', '2021-02')).toEqual([
      '2020-11',
      '2020-12',
      '2021-01',
      '2021-02',
    ]);
    expect(monthsBetween('2021-05', '2021-05')).toEqual(['2021-05']);
    expect(monthsBetween('2021-06', '2021-05')).toEqual([]);
  });

  it('turns a month index back into its month', () => {
    expect(monthOf(monthIndex('2000-01'))).toBe('2000-01');
    expect(monthOf(monthIndex('2099-12'))).toBe('2099-12');
  });

  it('makes a series item of every month, with its row or none, in order', () => {
    const rows = [
      { month: '2021-03', n: 3 },
      { month: '2021-01', n: 1 },
      { month: '2020-12', n: 9 },
    ];
    const series = eachMonth(monthsBetween('2021-01', '2021-03'), rows, (month, row) => ({
      month,
      n: row?.n ?? 0,
    }));
    expect(series).toEqual([
      { month: '2021-01', n: 1 },
      { month: '2021-02', n: 0 },
      { month: '2021-03', n: 3 },
    ]);
  });
});
