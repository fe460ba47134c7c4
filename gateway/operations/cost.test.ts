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

describe('a name search over the supergraph', () => {
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
});
