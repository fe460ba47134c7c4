import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredFields } from './support/subgraph.js';
import { XINHUA_2021 } from '../subgraphs/shared/provenance.js';
import { bootStack, type Stack } from './support/stack.js';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Lishui city: Songyang county and its eight sibling counties.
let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['3311'] });
});
afterAll(async () => {
  await stack?.close();
});

async function data(
  q: string,
  vars?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<Data> {
  const res = await stack.query(q, vars, headers);
  expect(res.body.errors).toBeUndefined();
  return res.body.data as Data;
}

const reported = { kind: 'REPORTED', source: XINHUA_2021, asOf: '2021' };

describe('commerce through the gateway', () => {
  it('shows Songyang county with about 1,500 online tea stores and over 7,000 jobs', async () => {
    const d = await data(`{ region(code: "331124") { code name level commerce {
      stores { total byCategory { category count } provenance { kind source asOf } }
      jobs { count provenance { kind source asOf } } parks { count provenance { kind } } } } }`);
    expect(d).toEqual({
      region: {
        code: '331124',
        name: '松阳县',
        level: 'COUNTY',
        commerce: {
          stores: {
            total: 1500,
            byCategory: [{ category: 'TEA', count: 1500 }],
            provenance: reported,
          },
          jobs: { count: 7000, provenance: reported },
          parks: { count: 2, provenance: { kind: 'SYNTHETIC' } },
        },
      },
    });
  });

  it("returns Huang Jiefei's tea enterprise with 160 million yuan of online revenue in 2020", async () => {
    const d = await data(`{ enterprise(id: "ent-331124-huang-jiefei") {
      name ownerName countyCode industry platforms
      years { year onlineRevenue { amount currency } farmersConnected provenance { kind source asOf } }
      stores(first: 1) { totalCount edges { node { platform village { code county { code name } } } } } } }`);
    expect(d.enterprise).toEqual({
      name: 'Songyang tea enterprise of Huang Jiefei',
      ownerName: 'Huang Jiefei',
      countyCode: '331124',
      industry: 'TEA',
      platforms: ['PINDUODUO'],
      years: [
        {
          year: 2020,
          onlineRevenue: { amount: '160000000.00', currency: 'CNY' },
          farmersConnected: 1000,
          provenance: { kind: 'REPORTED', source: XINHUA_2021, asOf: '2020' },
        },
      ],
      stores: {
        totalCount: 2,
        edges: [
          {
            node: {
              platform: 'PINDUODUO',
              village: {
                code: expect.stringMatching(/^331124/),
                county: { code: '331124', name: '松阳县' },
              },
            },
          },
        ],
      },
    });
  });

  it("ranks Lishui's counties by online revenue with a constant number of SQL statements", async () => {
    const ranking = (first: number) =>
      stack.query(`{ region(code: "3311") { name commerce {
        childRanking(by: ONLINE_REVENUE, from: "2021-01", to: "2021-12", first: ${first}) {
          rank region { code name level } revenue { amount currency } provenance { kind } } } } }`);
    const sql = stack.subgraphs.commerce.sql;
    sql.reset();
    const small = await ranking(2);
    const smallCount = sql.count;
    sql.reset();
    const full = await ranking(20);
    expect(sql.count).toBe(smallCount);
    // The rollup row of Lishui and its children with their period sums.
    expect(smallCount).toBe(2);
    expect(small.body.errors).toBeUndefined();
    expect(full.body.errors).toBeUndefined();
    const entries = (full.body.data as Data).region.commerce.childRanking;
    expect(entries).toHaveLength(9);
    expect(entries.map((e: Data) => e.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const e of entries) {
      expect(e.region.code).toMatch(/^3311\d\d$/);
      expect(e.region.level).toBe('COUNTY');
      expect(e.revenue.currency).toBe('CNY');
      expect(e.provenance).toEqual({ kind: 'SYNTHETIC' });
    }
    const fen = entries.map((e: Data) => BigInt(e.revenue.amount.replace('.', '')));
    expect([...fen].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(fen);
    expect((small.body.data as Data).region.commerce.childRanking).toEqual(entries.slice(0, 2));
  });

  it('does not double a repeated monthly report and rejects a negative amount', async () => {
    const sales = async () =>
      await data(`{ region(code: "331124") { commerce {
          onlineSales(from: "2021-05", to: "2021-05") { orders revenue { amount } } } }
          onlineStore(id: "store-331124001200-2") {
          monthlySales(from: "2021-05", to: "2021-05") { orders revenue { amount } } } }`);
    const before = await sales();
    const old = before.onlineStore.monthlySales[0];
    const report = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { orders revenue { amount } } }`;
    const input = {
      storeId: 'store-331124001200-2',
      month: '2021-05',
      orders: 7,
      revenue: '700.00',
    };
    await data(report, { i: input }, stack.steward);
    await data(report, { i: input }, stack.steward);
    const after = await sales();
    const fen = (a: string) => BigInt(a.replace('.', ''));
    expect(after.onlineStore.monthlySales).toEqual([{ orders: 7, revenue: { amount: '700.00' } }]);
    expect(after.region.commerce.onlineSales.orders).toBe(
      before.region.commerce.onlineSales.orders - old.orders + 7,
    );
    expect(fen(after.region.commerce.onlineSales.revenue.amount)).toBe(
      fen(before.region.commerce.onlineSales.revenue.amount) - fen(old.revenue.amount) + 70000n,
    );
    const negative = await stack.query(
      report,
      { i: { ...input, revenue: '-1.00' } },
      stack.steward,
    );
    expect(answeredFields(negative.body.data)).toEqual([]);
    expect(negative.body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'input.revenue' },
    ]);
    expect(await sales()).toEqual(after);
  });
});
