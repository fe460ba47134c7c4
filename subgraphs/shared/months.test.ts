import { describe, expect, it } from 'vitest';
import { monthIndex } from './arguments.js';
import { monthOf, monthsBetween } from './months.js';

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
});
