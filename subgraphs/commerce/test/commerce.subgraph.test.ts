import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { XINHUA_2021 } from '../../shared/provenance.js';
import { commerceSubgraph } from '../index.js';
import { dataOf, REGION, SCOPES, regionRepresentation, type Data } from './fixtures.js';

let commerce: BootedSubgraph;

beforeAll(async () => {
  commerce = await bootSubgraph(commerceSubgraph as never, { scopes: SCOPES });
});
afterAll(() => commerce?.close());

const data = dataOf(() => commerce);

describe('commerce subgraph', () => {
  it('shows Songyang with about 1,500 tea stores and over 7,000 jobs, as reported', async () => {
    const reported = { kind: 'REPORTED', source: XINHUA_2021, asOf: '2021' };
    const d = await data(REGION, { r: [{ __typename: 'Region', code: '331124' }] });
    expect(d).toEqual({
      _entities: [
        {
          code: '331124',
          commerce: {
            stores: {
              total: 1500,
              byCategory: [{ category: 'TEA', count: 1500, jobs: 7000 }],
              provenance: reported,
            },
            jobs: { count: 7000, provenance: reported },
          },
        },
      ],
    });
  });

  it("holds Huang Jiefei's enterprise with its reported 2020 figures", async () => {
    const d = await data(`{ enterprise(id: "ent-331124-huang-jiefei") {
      name ownerName countyCode industry platforms
      years { year onlineRevenue { amount currency } offlineRevenue { amount } employees farmersConnected
        provenance { kind source asOf } }
      stores { totalCount edges { node { platform category } } } } }`);
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
          offlineRevenue: null,
          employees: null,
          farmersConnected: 1000,
          provenance: { kind: 'REPORTED', source: XINHUA_2021, asOf: '2020' },
        },
      ],
      stores: {
        totalCount: 2,
        edges: [
          { node: { platform: 'PINDUODUO', category: 'TEA' } },
          { node: { platform: 'PINDUODUO', category: 'TEA' } },
        ],
      },
    });
    // Its synthetic store sales are calibrated to the reported year exactly.
    const sales = await data(`{ enterprise(id: "ent-331124-huang-jiefei") { stores { edges { node {
      monthlySales(from: "2020-01", to: "2020-12") { revenue { amount } provenance { kind } } } } } } }`);
    let fen = 0n;
    for (const e of sales.enterprise.stores.edges) {
      expect(e.node.monthlySales).toHaveLength(12);
      for (const m of e.node.monthlySales) fen += BigInt(m.revenue.amount.replace('.', ''));
    }
    expect(fen).toBe(16_000_000_000n);
  });

  it('pages village stores and serves many villages with a constant number of statements', async () => {
    const q = (n: number) =>
      commerce.write(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { code commerce {
          storeCount jobs { count } servicePoints { kind } enterprises { id }
          onlineSales(from: "2021-01", to: "2021-12") { orders }
          stores(first: ${n}) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } } } } }`,
        {
          r: ['331124001200', '331124001201', '331124100200', '330203009205'].map((code) => ({
            __typename: 'Village',
            code,
          })),
        },
      );
    commerce.sql.reset();
    const small = await q(1);
    const smallCount = commerce.sql.count;
    commerce.sql.reset();
    const large = await q(50);
    expect(commerce.sql.count).toBe(smallCount);
    // Store pages with totals, rollup rows, enterprises, service points, period sums.
    expect(smallCount).toBe(5);
    const villages = (large.body.data as Data)._entities;
    for (const v of villages) {
      expect(v.commerce.stores.edges.length).toBe(v.commerce.stores.totalCount);
      expect(v.commerce.stores.pageInfo.hasNextPage).toBe(false);
    }
    // The next page after the first store continues in id order.
    const first = (small.body.data as Data)._entities[0].commerce.stores;
    const next = await data(
      `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Village {
        commerce { stores(first: 100, after: $after) { totalCount edges { node { id } } } } } } }`,
      { r: [{ __typename: 'Village', code: '331124001200' }], after: first.pageInfo.endCursor },
    );
    expect(next._entities[0].commerce.stores).toEqual({
      totalCount: first.totalCount,
      edges: villages[0].commerce.stores.edges.slice(1),
    });
  });

  it('answers each of two store pages of one village asked in one request', async () => {
    const page = 'totalCount edges { node { id } }';
    const ask = (fields: string) =>
      data(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village {
          commerce { ${fields} } } } }`,
        { r: [{ __typename: 'Village', code: '331124001200' }] },
      );
    const three = (await ask(`stores(first: 3) { ${page} }`))._entities[0].commerce.stores;
    expect(three.edges).toHaveLength(3);
    const both = await ask(`one: stores(first: 1) { ${page} } three: stores(first: 3) { ${page} }`);
    expect(both._entities[0].commerce).toEqual({
      one: { totalCount: three.totalCount, edges: three.edges.slice(0, 1) },
      three,
    });
  });

  it('answers two pages of the same owner in one request each as alone', async () => {
    const villages = ['331124001200', '331124001201'].map((code) => ({
      __typename: 'Village',
      code,
    }));
    const page = 'totalCount edges { node { id } } pageInfo { hasNextPage endCursor }';
    const stores = (args: string) => `commerce { stores(${args}) { ${page} } }`;
    const first = await data(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { ${stores('first: 1')} } } }`,
      { r: villages },
    );
    const after = first._entities[0].commerce.stores.pageInfo.endCursor;
    const pages: Record<string, string> = { a: 'first: 1', b: 'first: 50' };
    const entities = (selection: string, r: typeof villages) =>
      data(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { ${selection} } } }`,
        { r },
      );
    // The page after the cursor is asked of the cursor's village only (another's refuses it).
    for (const [asked, r] of [
      [pages, villages],
      [{ ...pages, c: `first: 2, after: "${after}"` }, villages.slice(0, 1)],
    ] as const) {
      const fields = Object.entries(asked)
        .map(([alias, args]) => `${alias}: commerce { stores(${args}) { ${page} } }`)
        .join(' ');
      const together = await entities(fields, r);
      for (const [alias, args] of Object.entries(asked)) {
        const alone = await entities(`${alias}: ${stores(args)}`, r);
        expect(together._entities.map((v: Data) => v[alias])).toEqual(
          alone._entities.map((v: Data) => v[alias]),
        );
      }
    }
    // An enterprise's stores (the same loader by enterprise).
    const hj = (selection: string) =>
      data(`{ enterprise(id: "ent-331124-huang-jiefei") { ${selection} } }`);
    expect(await hj(`a: stores(first: 1) { ${page} } b: stores(first: 2) { ${page} }`)).toEqual({
      enterprise: {
        ...(await hj(`a: stores(first: 1) { ${page} }`)).enterprise,
        ...(await hj(`b: stores(first: 2) { ${page} }`)).enterprise,
      },
    });
  });

  it('ranks child regions with a constant number of statements', async () => {
    const songyang = await regionRepresentation('331124');
    const rank = (first: number) =>
      commerce.write(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { commerce {
          childRanking(by: ONLINE_REVENUE, from: "2021-01", to: "2021-12", first: ${first}) {
            rank region { code } revenue { amount } count } } } } }`,
        { r: [songyang] },
      );
    commerce.sql.reset();
    await rank(2);
    const smallCount = commerce.sql.count;
    // The rollup row and the children with their period sums.
    expect(smallCount).toBe(2);
    commerce.sql.reset();
    const large = await rank(100);
    expect(commerce.sql.count).toBe(smallCount);
    const ranking = (large.body.data as Data)._entities[0].commerce.childRanking;
    expect(ranking.length).toBeGreaterThan(10);
    const amounts = ranking.map((r: Data) => BigInt(r.revenue.amount.replace('.', '')));
    expect([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(amounts);
    const bad = await commerce.write(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
        commerce { childRanking(by: ORDERS) { rank } } } } }`,
      { r: [songyang] },
    );
    expect(bad.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    // A filter a sales metric cannot take is named as given (the client sent no `platform`).
    const filtered = await commerce.write(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { commerce {
        childRanking(by: ORDERS, from: "2021-01", to: "2021-12", category: TEA) { rank } } } } }`,
      { r: [songyang] },
    );
    expect(filtered.body.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'category',
    });
  });

  it('reseeds idempotently, and another seed changes synthetic values only', async () => {
    const snapshot = () =>
      data(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code commerce {
          stores { total } jobs { count } enterprises { count } servicePoints { count }
          onlineSales(from: "2020-01", to: "2021-12") { orders revenue { amount } } } } } }`,
        { r: ['330203', '331124'].map((code) => ({ __typename: 'Region', code })) },
      );
    const before = await snapshot();
    await commerceSubgraph.seed(commerce.started.orm, { scope: '330203', seed: 1 });
    expect(await snapshot()).toEqual(before);
    await commerceSubgraph.seed(commerce.started.orm, { scope: '331124', seed: 2 });
    const other = await snapshot();
    expect(other._entities[1].commerce.stores.total).toBe(1500);
    expect(other._entities[1].commerce.jobs.count).toBe(7000);
    expect(other._entities[1].commerce.onlineSales).not.toEqual(
      before._entities[1].commerce.onlineSales,
    );
    const hj = await data(
      `{ enterprise(id: "ent-331124-huang-jiefei") { years { onlineRevenue { amount } } } }`,
    );
    expect(hj.enterprise.years).toEqual([{ onlineRevenue: { amount: '160000000.00' } }]);
  }, 150_000);
});
