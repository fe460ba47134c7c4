import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutAsyncContext } from '../../../test/support/async-context.js';
import {
  bootSubgraph,
  type BootedSubgraph,
  answeredFields,
} from '../../../test/support/subgraph.js';
import { commerceSubgraph } from '../index.js';
import { dataOf, REGION, regionSalesOf, SCOPES, type Data } from './fixtures.js';

let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: SCOPES });
});
afterAll(() => commerce?.close());

const data = dataOf(() => commerce);
const regionSales = regionSalesOf(() => commerce);

describe('commerce subgraph writes', () => {
  it('replaces a repeated monthly report instead of adding it again', async () => {
    const village = '331124001200';
    const levels = ['33', '3311', '331124', '331124001'];
    const snapshot = async () => {
      const d = await data(
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Region { commerce { onlineSales(from: "2021-03", to: "2021-03") { orders revenue { amount } } } }
          ... on Village { commerce { onlineSales(from: "2021-03", to: "2021-03") { orders revenue { amount } }
            stores(first: 1) { edges { node { id
              monthlySales(from: "2021-03", to: "2021-03") { orders revenue { amount } } } } } } } } }`,
        {
          r: [
            ...levels.map((code) => ({ __typename: 'Region', code })),
            { __typename: 'Village', code: village },
          ],
        },
      );
      return d._entities.map((e: Data) => e.commerce);
    };
    const fen = (a: string) => BigInt(a.replace('.', ''));
    const before = await snapshot();
    const node = before[levels.length].stores.edges[0].node;
    const old = node.monthlySales[0];
    const report = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) {
      storeId month orders revenue { amount } provenance { kind source } } }`;
    const input = {
      storeId: node.id,
      month: '2021-03',
      orders: 10,
      revenue: '1234.5',
      source: 'Pinduoduo partner feed',
    };
    const first = await data(report, { i: input });
    const again = await data(report, { i: input });
    expect(again).toEqual(first);
    expect(first.reportStoreSales).toEqual({
      storeId: node.id,
      month: '2021-03',
      orders: 10,
      revenue: { amount: '1234.50' },
      provenance: { kind: 'REPORTED', source: 'Pinduoduo partner feed' },
    });
    // Every level (village to province) changed by new minus old, once.
    const after = await snapshot();
    after.forEach((a: Data, i: number) => {
      expect(a.onlineSales.orders).toBe(before[i].onlineSales.orders - old.orders + 10);
      expect(fen(a.onlineSales.revenue.amount)).toBe(
        fen(before[i].onlineSales.revenue.amount) - fen(old.revenue.amount) + 123450n,
      );
    });
    expect(after[levels.length].stores.edges[0].node.monthlySales).toEqual([
      { orders: 10, revenue: { amount: '1234.50' } },
    ]);
  });

  it('rejects bad reports with BAD_USER_INPUT naming the field and writes nothing', async () => {
    const before = await regionSales('331124', '2021-04');
    const report = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`;
    const base = { storeId: 'store-331124001200-2', month: '2021-04', orders: 5, revenue: '10.00' };
    const cases: [Record<string, unknown>, string][] = [
      [{ revenue: '-5.00' }, 'input.revenue'],
      [{ revenue: '1.234' }, 'input.revenue'],
      [{ revenue: '1e5' }, 'input.revenue'],
      [{ orders: -1 }, 'input.orders'],
      [{ month: '2999-01' }, 'input.month'],
      [{ month: '2021-13' }, 'input.month'],
      [{ storeId: 'store-unknown' }, 'input.storeId'],
    ];
    for (const [change, field] of cases) {
      const res = await commerce.write(report, { i: { ...base, ...change } });
      expect(answeredFields(res.body.data)).toEqual([]);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await regionSales('331124', '2021-04')).toEqual(before);
  });

  it('refuses writes without a gateway-signed identity holding commerce:write', async () => {
    const before = await regionSales('331124', '2021-04');
    const report = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`;
    const i = { storeId: 'store-331124001200-2', month: '2021-04', orders: 5, revenue: '10.00' };
    const direct = await commerce.query(report, { i });
    expect(direct.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await commerce.write(report, { i }, ['culture:write']);
    expect(wrong.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await regionSales('331124', '2021-04')).toEqual(before);
  });

  it('registers a store and counts it at every level in the same transaction', async () => {
    const region = async (code: string) =>
      (await data(REGION, { r: [{ __typename: 'Region', code }] }))._entities[0].commerce;
    const before = await region('330203');
    // Writes run no AsyncLocalStorage (subgraphs/shared/transaction.ts): promise hooks stay off.
    const res = await withoutAsyncContext(() =>
      data(
        `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) {
        name villageCode platform category openedOn status jobs provenance { kind source asOf } } }`,
        {
          i: {
            name: '后仓村茶叶网店',
            villageCode: '330203009205',
            platform: 'DOUYIN',
            category: 'TEA',
            openedOn: '2024-05-01',
            jobs: 3,
          },
        },
      ),
    );
    expect(res.registerOnlineStore).toEqual({
      name: '后仓村茶叶网店',
      villageCode: '330203009205',
      platform: 'DOUYIN',
      category: 'TEA',
      openedOn: '2024-05-01',
      status: 'ACTIVE',
      jobs: 3,
      provenance: {
        kind: 'REPORTED',
        source: 'Data steward report (commerce:write)',
        asOf: '2024-05-01',
      },
    });
    const after = await region('330203');
    expect(after.stores.total).toBe(before.stores.total + 1);
    expect(after.jobs.count).toBe(before.jobs.count + 3);
    const bad = await commerce.write(
      `mutation { registerOnlineStore(input: { name: "x", villageCode: "3302", platform: JD,
        category: TEA, openedOn: "2024-01-01", jobs: 1 }) { id } }`,
    );
    expect(bad.body.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.villageCode',
    });
    expect((await region('330203')).stores.total).toBe(after.stores.total);
  });

  it("labels Songyang's totals as computed, not reported, once a store is registered there", async () => {
    const songyang = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
      commerce { stores { total byCategory { category count } provenance { kind source note } }
        jobs { count provenance { kind } } reportedFacts { id provenance { kind } } } } } }`;
    const view = async () =>
      (await data(songyang, { r: [{ __typename: 'Region', code: '331124' }] }))._entities[0]
        .commerce;
    const before = await view();
    expect(before.stores.provenance.kind).toBe('REPORTED');
    const i = {
      name: '松阳水果网店',
      villageCode: '331124001200',
      platform: 'JD',
      category: 'FRUIT',
    };
    await data(
      `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }`,
      { i: { ...i, openedOn: '2024-05-01', jobs: 2 } },
    );
    const after = await view();
    expect(after.stores.total).toBe(before.stores.total + 1);
    expect(after.jobs.count).toBe(before.jobs.count + 2);
    // 1,501 stores and 7,002 jobs are no figures the article gave: never labelled as its own.
    expect(after.stores.provenance).toEqual({
      kind: 'SYNTHETIC',
      source: expect.not.stringMatching(/Xinhua/),
      note: expect.stringMatching(/not the reported figures/),
    });
    expect(after.jobs.provenance.kind).toBe('SYNTHETIC');
    // What the article said stays reported, as its own statements.
    expect(after.reportedFacts).toEqual(before.reportedFacts);
    expect(after.reportedFacts.every((f: Data) => f.provenance.kind === 'REPORTED')).toBe(true);
  });
});

describe("an enterprise's online revenue follows its stores' reported sales", () => {
  const YEARS = `query($id: ID!) { enterprise(id: $id) { years { year onlineRevenue { amount }
    provenance { kind } } } }`;
  const yearOf = async (id: string, year: number) =>
    ((await data(YEARS, { id })).enterprise.years as Data[]).find((y) => y.year === year);
  const REPORT = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`;
  const knex = () =>
    (commerce.started.orm.em as unknown as { getKnex(): import('knex').Knex }).getKnex();

  it('adds the difference to a computed year, and leaves a reported year as reported', async () => {
    const store = (await knex()('online_store as s')
      .join('enterprise_year as y', 'y.enterprise_id', 's.enterprise_id')
      .where('y.provenance_kind', 'SYNTHETIC')
      .andWhere('y.year', 2020)
      .select('s.id', 's.enterprise_id')
      .orderBy('s.id')
      .first()) as { id: string; enterprise_id: string };
    const [old] = (await knex()('store_monthly_sales')
      .where({ store_id: store.id, month: '2020-05' })
      .select('revenue_fen')) as { revenue_fen: number | string }[];
    const before = await yearOf(store.enterprise_id, 2020);
    await data(REPORT, {
      i: { storeId: store.id, month: '2020-05', orders: 1, revenue: '5000000.00' },
    });
    const after = await yearOf(store.enterprise_id, 2020);
    const fen = (amount: string) => Math.round(Number(amount) * 100);
    expect(fen(after!.onlineRevenue.amount) - fen(before!.onlineRevenue.amount)).toBe(
      500_000_000 - Number(old?.revenue_fen ?? 0),
    );
    expect(after!.provenance.kind).toBe('SYNTHETIC');

    const huang = 'ent-331124-huang-jiefei';
    const [own] = (await knex()('online_store').where('enterprise_id', huang).select('id')) as {
      id: string;
    }[];
    await data(REPORT, { i: { storeId: own.id, month: '2020-06', orders: 1, revenue: '1.00' } });
    expect(await yearOf(huang, 2020)).toMatchObject({
      onlineRevenue: { amount: '160000000.00' },
      provenance: { kind: 'REPORTED' },
    });
  });
});

describe('the change feed names the village of an enterprise changed through its stores', () => {
  const knex = () =>
    (commerce.started.orm.em as unknown as { getKnex(): import('knex').Knex }).getKnex();
  const outboxAfter = async (id: number) =>
    (await knex()('village_change').where('id', '>', id).orderBy('id')) as {
      village_code: string | null;
      what: string;
    }[];

  it('records both villages for a store registered, and sales reported, in another village', async () => {
    const ent = (await knex()('enterprise')
      .whereNotNull('village_code')
      .where('village_code', 'like', '331124%')
      .orderBy('id')
      .first()) as { id: string; village_code: string };
    const other = ent.village_code === '331124001201' ? '331124001202' : '331124001201';
    const [{ last }] = (await knex()('village_change').max({ last: 'id' })) as { last: number }[];
    const d = await data(
      `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }`,
      {
        i: {
          name: 'Feed test store',
          villageCode: other,
          platform: 'JD',
          category: 'TEA',
          openedOn: '2021-01-01',
          jobs: 1,
          enterpriseId: ent.id,
        },
      },
    );
    await data(`mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`, {
      i: { storeId: d.registerOnlineStore.id, month: '2021-03', orders: 2, revenue: '30.00' },
    });
    // The same month again with other orders and the same revenue: both villages again.
    await data(`mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { month } }`, {
      i: { storeId: d.registerOnlineStore.id, month: '2021-03', orders: 5, revenue: '30.00' },
    });
    expect((await outboxAfter(last ?? 0)).map((r) => [r.village_code, r.what])).toEqual([
      [other, 'onlineStore'],
      [ent.village_code, 'onlineStore'],
      [other, 'storeSales'],
      [ent.village_code, 'storeSales'],
      [other, 'storeSales'],
      [ent.village_code, 'storeSales'],
    ]);
  });
});
