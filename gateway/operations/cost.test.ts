import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, readSupergraph } from '../../scripts/api-schema.js';
import { loadGatewayConfig } from '../config.js';
import { costOf, CostModel } from './cost.js';

/** `@cost` on arguments and input fields (https://specs.apollo.dev/cost/v0.1). */
describe('the cost of arguments and input fields', () => {
  const sdl = `
    type Query {
      items(filter: Filter, filters: [Filter!], sort: String @cost(weight: 7), first: Int): [Item!]!
        @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
      item: Item
    }
    input Filter { text: String @cost(weight: 100) kind: String inner: Inner self: Filter }
    input Inner { deep: Int @cost(weight: 5) }
    type Item { name: String! items(filter: Filter, first: Int): [Item!]! }
  `;
  const small = buildSchema(sdl.replace(/@(listSize|cost)\([^)]*\)/g, ''));
  const model = CostModel.fromSupergraph(sdl);
  const c = (query: string, variables: Record<string, unknown> = {}) =>
    costOf(small, model, parse(query), undefined, variables, 10);

  it('adds the weight of each argument and input field given, once per field', () => {
    expect(c('{ items(first: 2) { name } }')).toBe(2);
    expect(c('{ items(first: 2, sort: "a") { name } }')).toBe(2 + 7);
    expect(c('{ items(first: 2, filter: { text: "a" }) { name } }')).toBe(2 + 100);
    expect(c('{ items(first: 2, filter: { kind: "a" }) { name } }')).toBe(2);
    expect(
      c('{ items(first: 2, filter: { inner: { deep: 1 }, self: { text: "b" } }) { name } }'),
    ).toBe(2 + 5 + 100);
    expect(c('{ items(first: 2, filters: [{ text: "a" }, { text: "b" }]) { name } }')).toBe(
      2 + 200,
    );
  });

  it('reads them through variables and their defaults; null adds nothing', () => {
    const q = 'query($f: Filter) { items(first: 1, filter: $f) { name } }';
    expect(c(q, { f: { text: 'a', inner: { deep: 2 } } })).toBe(1 + 105);
    expect(c(q, { f: { text: null } })).toBe(1);
    expect(c(q)).toBe(1);
    expect(c('query($t: String = "x") { items(first: 1, filter: { text: $t }) { name } }')).toBe(
      1 + 100,
    );
  });

  it('multiplies them by the lists the field is in', () => {
    expect(c('{ items(first: 3) { items(first: 1, filter: { text: "a" }) { name } } }')).toBe(
      3 + 3 * (1 + 100),
    );
  });
});

describe('month-by-month series', () => {
  const sdl = `
    type Query {
      sales(from: String!, to: String!): Figure!
      series(from: String, to: String): [Month!]!
      pages(from: String!, to: String!, first: Int): [Month!]!
    }
    type Figure { total: Int! months: [Month!]! top(first: Int): [Month!]! all: [Month!]! @listSize(assumedSize: 50) }
    type Month { month: String! days: [Int!]! }
  `;
  const small = buildSchema(sdl.replace(/@(listSize|cost)\([^)]*\)/g, ''));
  const model = CostModel.fromSupergraph(sdl);
  const c = (query: string, variables: Record<string, unknown> = {}) =>
    costOf(small, model, parse(query), undefined, variables, 10);

  it('sizes a series by the months of the range it is asked for, on its field or its parent', () => {
    const months = (from: string, to: string) =>
      c(`{ sales(from: "${from}", to: "${to}") { months { month } } }`) - 1;
    expect(months('2020-01', '2020-12')).toBe(12);
    expect(months('2015-01', '2024-12')).toBe(120);
    expect(months('2020-03', '2020-03')).toBe(1);
    expect(months('2020-05', '2020-01')).toBe(0); // refused by the resolver, nothing to read
    expect(c('{ series(from: "2019-11", to: "2020-02") { month } }')).toBe(4);
    // Through variables, and under the series: each month's own lists are not month-sized.
    expect(
      c('query($f: String!, $t: String!) { sales(from: $f, to: $t) { all { days } } }', {
        f: '2011-01',
        t: '2020-12',
      }),
    ).toBe(1 + 120 * (1 + 10 * 0));
  });

  it('leaves lists with slicing arguments, and series without a readable range, alone', () => {
    expect(c('{ sales(from: "2015-01", to: "2024-12") { top(first: 3) { month } } }')).toBe(1 + 3);
    expect(c('{ sales(from: "2015-01", to: "2024-12") { top { month } } }')).toBe(1 + 10);
    expect(c('{ pages(from: "2015-01", to: "2024-12", first: 2) { month } }')).toBe(2);
    expect(c('{ series { month } }')).toBe(10);
    expect(c('{ series(from: "2020", to: "2020-12") { month } }')).toBe(10);
  });
});

describe('costly shapes of the supergraph', () => {
  const supergraph = readSupergraph();
  const schema = apiSchemaOf(supergraph);
  const model = CostModel.fromSupergraph(supergraph);
  const { maxCost, defaultListSize } = loadGatewayConfig({}).limits;
  const cost = (query: string) =>
    costOf(schema, model, parse(query), undefined, {}, defaultListSize);

  it('prices a search by the villages it reads: thirty aliased ones are over MAX_COST', () => {
    // Each reads every village of the country (no index finds a substring); they cost 30.
    const searches = Array.from(
      { length: 30 },
      (_, i) => `s${i}: villages(filter: { nameContains: "x${i}" }, first: 1) { totalCount }`,
    ).join(' ');
    expect(cost(`{ ${searches} }`)).toBeGreaterThan(maxCost);
    // One search in a region stays well under it.
    expect(
      cost('{ villages(filter: { regionCode: "331124", nameContains: "村" }) { totalCount } }'),
    ).toBeLessThan(maxCost / 2);
  });

  it('prices a sales series by its months: four pages of ten-year series are over MAX_COST', () => {
    const series = (from: string, to: string) =>
      Array.from(
        { length: 4 },
        (_, i) =>
          `p${i}: villages(filter: { regionCode: "331124" }, first: 100) { edges { node {
            commerce { onlineSales(from: "${from}", to: "${to}") { months { month orders } } } } } }`,
      ).join(' ');
    // 2.9 MB an answer over Zhejiang, priced as 20 months each (17,604) before.
    expect(cost(`{ ${series('2015-01', '2024-12')} }`)).toBeGreaterThan(maxCost);
    expect(cost(`{ ${series('2020-01', '2020-12')} }`)).toBeLessThan(maxCost / 2);
  });
});
