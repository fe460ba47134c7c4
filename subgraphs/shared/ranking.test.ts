import { describe, expect, it } from 'vitest';
import { ranked, rankingRange } from './ranking.js';

describe('ranking glue', () => {
  it('ranks highest first, nulls last, ties by code, numbered from 1 up to the limit', () => {
    const rows = [
      { code: '3302', value: 5 },
      { code: '3301', value: null },
      { code: '3304', value: 9 },
      { code: '3303', value: 5 },
    ];
    expect(ranked(rows, 3, (r, rank) => `${rank}:${r.code}`)).toEqual([
      '1:3304',
      '2:3302',
      '3:3303',
    ]);
    expect(ranked(rows, 10, (r) => r.code).at(-1)).toBe('3301');
    expect(rows[0].code).toBe('3302'); // the caller's rows are left as they were
  });

  it('asks a monthly figure for both months, under the shared month rules', () => {
    expect(rankingRange('VISITS', false, undefined, undefined)).toBeNull();
    expect(rankingRange('VISITS', true, '2020-01', '2020-12')).toEqual({
      from: '2020-01',
      to: '2020-12',
    });
    expect(() => rankingRange('VISITS', true, '2020-01', null)).toThrow(
      'VISITS needs `from` and `to`.',
    );
    expect(() => rankingRange('VISITS', true, '2020-12', '2020-01')).toThrow(/must not be before/);
    expect(() => rankingRange('ORDERS', true, '2000-01', '2020-01')).toThrow(/within 120 months/);
    expect(rankingRange('ORDERS', true, '2000-01', '2020-01', { bounded: false })).not.toBeNull();
  });
});
