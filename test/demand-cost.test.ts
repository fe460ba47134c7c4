import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.js';
import { CostModel } from '../gateway/operations/cost.js';
import { readSupergraph } from '../scripts/api-schema.js';
import { isRuralVillageName, readDivisions } from '../subgraphs/shared/divisions.js';
import { bootStack, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

// Songyang county (Lishui): a few hundred village-level units.
const REGION = '331124';

let stack: Stack;

beforeAll(async () => {
  stack = await bootStack({ scopes: [REGION] });
});
afterAll(() => stack?.close());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { code: string; name: string; kind: string } }[];
}

/**
 * A name search reads every village of its region: no index finds a substring. Thirty aliased
 * searches cost 30 and, over the 620,573 villages of the national data, kept places busy for
 * 2.8 s (SQLite, load 8). They are priced by `@cost` on the filter's fields now.
 */
describe('name and kind filters are priced by the villages they read', () => {
  it('refuses thirty aliased searches before places reads a row', async () => {
    const searches = Array.from(
      { length: 30 },
      (_, i) => `s${i}: villages(filter: { nameContains: "无${i}" }, first: 1) { totalCount }`,
    ).join('\n');
    stack.subgraphs.places.sql.reset();
    const res = await stack.query(`{ ${searches} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(stack.subgraphs.places.sql.count).toBe(0);

    // The same through a variable of the filter's type.
    const byVariable = Array.from(
      { length: 30 },
      (_, i) => `s${i}: villages(filter: $f, first: ${i + 1}) { totalCount }`,
    ).join('\n');
    const viaVariables = await stack.query(`query($f: VillageFilter) { ${byVariable} }`, {
      f: { kind: 'OTHER' },
    });
    expect(viaVariables.status).toBe(400);
    expect(viaVariables.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(stack.subgraphs.places.sql.count).toBe(0);
  });

  it('still answers a search in a region, every match and only matches', async () => {
    const all: Page['edges'] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse<{ villages: Page }> = await stack.query<{ villages: Page }>(
        `query($after: String) { villages(filter: { regionCode: "${REGION}" }, first: 100, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { code name kind } } } }`,
        { after },
      );
      expect(res.body.errors).toBeUndefined();
      all.push(...res.body.data!.villages.edges);
      if (!res.body.data!.villages.pageInfo.hasNextPage) break;
      after = res.body.data!.villages.pageInfo.endCursor;
    }
    const text = '村';
    const expected = all.filter(
      (e) => e.node.name.includes(text) && e.node.kind === 'RURAL_VILLAGE',
    );
    expect(expected.length).toBeGreaterThan(0);
    const res = await stack.query<{ villages: Page }>(
      `{ villages(filter: { regionCode: "${REGION}", nameContains: "${text}", kind: RURAL_VILLAGE }, first: 100) {
        totalCount edges { node { code name kind } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.villages.totalCount).toBe(expected.length);
    expect(res.body.data!.villages.edges).toEqual(expected.slice(0, 100));
  });
});

/**
 * An auditorium's services are a JSON array matched as text, and the hub flag has no index: with
 * no narrow region both filters read every auditorium (331,086 nationally, ~100 ms a statement
 * for a service). Thirty aliased national service filters cost about 100 and kept culture busy
 * for 5.7 s of CPU; they are priced by `@cost` on the filter's fields now.
 */
describe('auditorium filters are priced by the auditoriums they read', () => {
  const services = ['BOOK_LENDING', 'DIALECT_LEARNING', 'PERFORMANCES'];
  it('refuses thirty aliased service filters before culture reads a row', async () => {
    const lists = Array.from(
      { length: 30 },
      (_, i) =>
        `a${i}: auditoriums(filter: { service: ${services[i % 3]} }, first: ${1 + (i % 10)}) { totalCount }`,
    ).join('\n');
    stack.subgraphs.culture.sql.reset();
    const res = await stack.query(`{ ${lists} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(stack.subgraphs.culture.sql.count).toBe(0);

    const hubs = Array.from(
      { length: 30 },
      (_, i) => `h${i}: auditoriums(filter: $f, first: ${i + 1}) { totalCount }`,
    ).join('\n');
    const viaVariables = await stack.query(`query($f: AuditoriumFilter) { ${hubs} }`, {
      f: { digitalServiceHub: false },
    });
    expect(viaVariables.status).toBe(400);
    expect(viaVariables.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(stack.subgraphs.culture.sql.count).toBe(0);
  });

  it('still answers a service filter in a region', async () => {
    const res = await stack.query<{ all: { totalCount: number }; some: { totalCount: number } }>(
      `{ all: auditoriums(filter: { regionCode: "${REGION}" }, first: 1) { totalCount }
         some: auditoriums(filter: { regionCode: "${REGION}", service: BOOK_LENDING, digitalServiceHub: true }, first: 1) { totalCount } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.some.totalCount).toBeGreaterThan(0);
    expect(res.body.data!.some.totalCount).toBeLessThanOrEqual(res.body.data!.all.totalCount);
  });
});

interface SalesPage {
  villages: {
    edges: {
      node: {
        code: string;
        commerce: { onlineSales: { orders: number; months: { month: string; orders: number }[] } };
      };
    }[];
  };
}

/**
 * A month-by-month series has an item a month of its range (up to 120): priced as a list of
 * unknown size (20) before, four pages of 100 villages' ten-year sales series cost 17,604 and
 * answered 2.9 MB (Zhejiang), holding ~60 MB of gateway memory each while in flight.
 */
describe('a month-by-month series is priced by the months of its range', () => {
  const pages = (from: string, to: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) => `p${i}: villages(filter: { regionCode: "${REGION}" }, first: 100) { edges { node {
        code commerce { onlineSales(from: "${from}", to: "${to}") { orders months { month orders } } } } } }`,
    ).join('\n');

  it('refuses four pages of ten-year series before a subgraph is asked', async () => {
    stack.subgraphs.commerce.sql.reset();
    stack.subgraphs.places.sql.reset();
    const res = await stack.query(`{ ${pages('2015-01', '2024-12', 4)} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(stack.subgraphs.places.sql.count + stack.subgraphs.commerce.sql.count).toBe(0);
  });

  it('answers a page of one-year series: twelve months each, adding up to the year', async () => {
    const res = await stack.query<SalesPage>(
      `{ ${pages('2020-01', '2020-12', 1).replace('p0: ', '')} }`,
    );
    expect(res.body.errors).toBeUndefined();
    const edges = res.body.data!.villages.edges;
    expect(edges.length).toBe(100);
    expect(edges.some((e) => e.node.commerce.onlineSales.orders > 0)).toBe(true);
    const months = Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, '0')}`);
    for (const { node } of edges) {
      const sales = node.commerce.onlineSales;
      expect(sales.months.map((m) => m.month)).toEqual(months);
      expect(sales.months.reduce((sum, m) => sum + m.orders, 0)).toBe(sales.orders);
    }
  });
});

/**
 * A county ranking fetches the index inputs of every rural village of the county before places
 * ranks them. Priced as 300 villages, while the national data's largest county has over a
 * thousand: six rankings of such counties in one request took 2.5 s, under the limit.
 */
describe('a county ranking is priced as the largest county the seeds load', () => {
  const limits = loadGatewayConfig({}).limits;
  const model = CostModel.fromSupergraph(readSupergraph());
  // One village in the ranking's input: the village, and the inputs a village's index fetches.
  const perVillage = 1 + model.requirementCost('Village.digitalIndex', limits.defaultListSize);
  let largest = 0;

  beforeAll(async () => {
    const counties = new Map<string, number>();
    for await (const v of readDivisions('villages')) {
      if (isRuralVillageName(v.name)) counties.set(v.areaCode, (counties.get(v.areaCode) ?? 0) + 1);
    }
    largest = Math.max(...counties.values());
  }, 60_000);

  it('costs the inputs of every rural village of the largest county', () => {
    expect(largest).toBeGreaterThan(1000);
    const requires = model.requirementCost('Region.villagesByIndex', limits.defaultListSize);
    expect(requires).toBeGreaterThanOrEqual(largest * perVillage);
  });

  it('refuses as many rankings as the limit would not fetch, before a subgraph is asked', async () => {
    const count = Math.floor(limits.maxCost / (largest * perVillage)) + 1;
    const rankings = Array.from(
      { length: count },
      (_, i) => `r${i}: region(code: "${REGION}") { villagesByIndex(first: ${i + 1}) { rank } }`,
    ).join('\n');
    for (const s of Object.values(stack.subgraphs)) s.sql.reset();
    const res = await stack.query(`{ ${rankings} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(Object.values(stack.subgraphs).reduce((n, s) => n + s.sql.count, 0)).toBe(0);

    const one = await stack.query<{ region: { villagesByIndex: { rank: number }[] } }>(
      `{ region(code: "${REGION}") { villagesByIndex(first: 3) { rank } } }`,
    );
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data!.region.villagesByIndex.map((r) => r.rank)).toEqual([1, 2, 3]);
  });
});
