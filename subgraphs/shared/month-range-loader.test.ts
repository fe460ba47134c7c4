import { knex as makeKnex } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loaderPerRange, monthRangeLoader } from './loaders.js';

// A real SQLite table: what the loader's statements select is what the domains' rollups read.
const knex = makeKnex({ client: 'better-sqlite3', connection: { filename: ':memory:' } });

beforeAll(async () => {
  await knex.schema.createTable('monthly', (t) => {
    t.string('code');
    t.string('month');
    t.integer('n');
  });
  await knex('monthly').insert([
    { code: 'a', month: '2020-12', n: 100 },
    { code: 'a', month: '2021-01', n: 1 },
    { code: 'a', month: '2021-02', n: 2 },
    { code: 'b', month: '2021-02', n: 20 },
    { code: 'c', month: '2021-01', n: 300 },
  ]);
});
afterAll(() => knex.destroy());

describe('monthRangeLoader', () => {
  it('reads each range once for all its codes and gives each key its own rows', async () => {
    const statements: string[] = [];
    const loader = monthRangeLoader({
      code: (k: { code: string; from: string; to: string }) => k.code,
      column: 'code',
      rows: (narrow) => {
        const query = knex('monthly').select('*').modify(narrow).orderBy(['code', 'month']);
        statements.push(query.toString());
        return query;
      },
      value: (rows) => rows.map((r) => `${String(r.month)}:${String(r.n)}`),
    });
    const [a, b, d, aLater] = await Promise.all([
      loader.load({ code: 'a', from: '2021-01', to: '2021-02' }),
      loader.load({ code: 'b', from: '2021-01', to: '2021-02' }),
      loader.load({ code: 'd', from: '2021-01', to: '2021-02' }),
      loader.load({ code: 'a', from: '2021-02', to: '2021-03' }),
    ]);
    expect(a).toEqual(['2021-01:1', '2021-02:2']);
    expect(b).toEqual(['2021-02:20']);
    expect(d).toEqual([]);
    expect(aLater).toEqual(['2021-02:2']);
    // One statement per distinct range; `c` is not asked for and not read.
    expect(statements).toHaveLength(2);
    expect(statements[0]).toContain("in ('a', 'b', 'd')");
    // The same key again is the cached answer: no statement.
    await loader.load({ code: 'b', from: '2021-01', to: '2021-02' });
    expect(statements).toHaveLength(2);
  });

  it('makes one loader per range, on first use', () => {
    const made: string[] = [];
    const perRange = loaderPerRange((range) => {
      made.push(`${range.from}..${range.to}`);
      return { range };
    });
    const first = perRange({ from: '2021-01', to: '2021-02' });
    expect(perRange({ from: '2021-01', to: '2021-02' })).toBe(first);
    expect(perRange({ from: '2021-01', to: '2021-03' })).not.toBe(first);
    expect(made).toEqual(['2021-01..2021-02', '2021-01..2021-03']);
  });
});
