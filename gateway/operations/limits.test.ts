import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WORKLOADS, type WorkloadContext } from '../../bench/workloads.js';
import { SupergraphInfo } from '../../bench/selection.js';
import { apiSchemaOf, readSupergraph } from '../../scripts/api-schema.js';
import { loadGatewayConfig } from '../config.js';
import { CSV_OPERATIONS } from '../analyst/csv-operations.js';
import { costOf, CostModel, SlicingArgumentError, VariableValuesError } from './cost.js';
import { EXAMPLE_OPERATIONS } from '../analyst/examples.js';
import { createLimits, expandedSelections, RequestRejection } from './limits.js';
import { Lru } from './lru.js';
import { fragmentBomb } from '../../test/support/hostile.js';

const sdl = readSupergraph();
const schema = apiSchemaOf(sdl);
const model = CostModel.fromSupergraph(sdl);
const defaults = loadGatewayConfig({}).limits;
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  costOf(schema, model, parse(query), undefined, variables, defaults.defaultListSize);

describe('expanded selections', () => {
  it('counts fields as if fragments were expanded, without expanding them', () => {
    expect(expandedSelections(parse('{ a b { c d } }'))).toBe(4);
    expect(expandedSelections(parse('{ ...F ...F x } fragment F on Query { a { b } }'))).toBe(5);
    // F1 selects 2 fields, F<n> 2^n: counted exactly, and saturated where a number would not be.
    expect(expandedSelections(parse(fragmentBomb(40)))).toBe(2 ** 40);
    expect(expandedSelections(parse(fragmentBomb(2000)))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('survives unknown and cyclic fragments (validation refuses them)', () => {
    expect(expandedSelections(parse('{ ...Missing a }'))).toBe(1);
    expect(
      expandedSelections(
        parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }'),
      ),
    ).toBe(2);
  });

  it('refuses a fragment bomb before validation, with its own code', () => {
    const limits = createLimits(defaults);
    const doc = limits.parseDocument(fragmentBomb(19));
    let rejection: unknown;
    try {
      limits.validateDocument(schema, doc, false);
    } catch (err) {
      rejection = err;
    }
    expect(rejection).toBeInstanceOf(RequestRejection);
    expect((rejection as RequestRejection).code).toBe('SELECTION_LIMIT_EXCEEDED');
  });
});

describe('cost', () => {
  it('reads @listSize and @cost from the supergraph', () => {
    expect(model.listSizes.get('Query.villages')).toEqual({
      assumedSize: 20,
      slicingArguments: ['first'],
      sizedFields: ['edges'],
      requireOneSlicingArgument: false,
    });
    expect(model.listSizes.get('Region.children')?.assumedSize).toBe(26);
    expect(model.fieldWeights.get('RegionCulture.childRanking')).toBe(10);
    expect(model.requires.get('Region.villagesByIndex')).toMatch(/^indexVillages \{/);
  });

  it('sizes a connection by `first`, from a literal, a variable or a variable default', () => {
    const page = (first: string) => `villages${first} { edges { node { township { name } } } }`;
    // connection 1 + edges n × (edge 1 + node 1 + township 1)
    expect(cost(`{ ${page('(first: 5)')} }`)).toBe(1 + 5 * 3);
    expect(cost(`{ ${page('')} }`)).toBe(1 + 20 * 3); // assumedSize
    expect(cost(`query($n: Int) { ${page('(first: $n)')} }`, { n: 100 })).toBe(1 + 100 * 3);
    expect(cost(`query($n: Int = 100) { ${page('(first: $n)')} }`)).toBe(1 + 100 * 3);
    expect(cost(`query($n: Int = 100) { ${page('(first: $n)')} }`, { n: 2 })).toBe(1 + 2 * 3);
  });

  it('costs what @requires fetches: a county ranking fetches every village of the county', () => {
    const county = cost('{ region(code: "331124") { villagesByIndex(first: 1) { rank } } }');
    // The largest county's 1,122 villages × (culture, healthcare, commerce: an input and its
    // provenance each).
    expect(county).toBeGreaterThan(1122 * 6);
    const province = cost(
      '{ region(code: "33") { children { children { villagesByIndex(first: 1) { rank } } } } }',
    );
    expect(province).toBeGreaterThan(20 * 20 * 1122 * 6);
    expect(province).toBeGreaterThan(defaults.maxCost);
  });

  it('keeps every shipped operation under the default MAX_COST', () => {
    const costs: Record<string, number> = {};
    for (const e of EXAMPLE_OPERATIONS.filter((x) => !x.pending)) {
      costs[`example ${e.name}`] = cost(e.document, e.variables);
    }
    for (const [name, op] of Object.entries(CSV_OPERATIONS)) {
      costs[`csv ${name}`] = cost(op.document, { first: 100, regionCode: '331124', code: '3311' });
    }
    const ctx: WorkloadContext = {
      info: new SupergraphInfo(sdl),
      data: { villageCodes: ['330203009205'], countyCodes: ['331124'], cityCodes: ['3311'] },
    };
    for (const w of WORKLOADS) {
      const op = w.operation(ctx, 0);
      costs[`bench ${w.name}`] = cost(op.query, op.variables);
      for (const size of w.pageSizeProbe?.sizes ?? []) {
        const probe = w.pageSizeProbe!.operation(ctx, size);
        costs[`bench ${w.name} ${size}`] = cost(probe.query, probe.variables);
      }
    }
    process.stdout.write(`costs of shipped operations: ${JSON.stringify(costs)}\n`);
    for (const [name, c] of Object.entries(costs)) {
      expect({ name, over: c > defaults.maxCost }).toEqual({ name, over: false });
    }
  });
});

describe('cost semantics (a small schema of its own)', () => {
  const sdl = `
    type Query {
      items(first: Int, last: Int): [Item!]! @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
      strict(first: Int, last: Int): [Item!]! @listSize(slicingArguments: ["first", "last"])
      page(first: Int): ItemConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"], assumedSize: 7, requireOneSlicingArgument: false)
      plain: [Item!]!
      heavy: Item @cost(weight: 50)
    }
    type ItemConnection { edges: [Edge!]! total: Int! }
    type Edge { node: Item! }
    type Item { name: String! tags: [Tag!]! }
    type Tag @cost(weight: 3) { label: String! }
  `;
  const small = buildSchema(sdl.replace(/@(listSize|cost)\([^)]*\)/g, ''));
  const smallModel = CostModel.fromSupergraph(sdl);
  const c = (query: string, variables: Record<string, unknown> = {}) =>
    costOf(small, smallModel, parse(query), undefined, variables, 10);

  it('multiplies through nested lists and honours @cost on fields and types', () => {
    expect(c('{ plain { name } }')).toBe(10 * 1); // default list size × 1 object
    expect(c('{ plain { tags { label } } }')).toBe(10 * (1 + 10 * 3));
    expect(c('{ heavy { name } }')).toBe(50);
  });

  it('takes the largest slicing argument, and moves a size to sizedFields', () => {
    expect(c('{ items(first: 2, last: 5) { name } }')).toBe(5);
    expect(c('{ page(first: 4) { edges { node { name } } total } }')).toBe(1 + 4 * 2);
    expect(c('{ page { edges { node { name } } } }')).toBe(1 + 7 * 2); // assumedSize
  });

  it('requires exactly one slicing argument where the schema says so (the default)', () => {
    expect(c('{ strict(first: 3) { name } }')).toBe(3);
    expect(() => c('{ strict { name } }')).toThrow(SlicingArgumentError);
    expect(() => c('{ strict(first: 1, last: 1) { name } }')).toThrow(SlicingArgumentError);
  });

  it('applies variables, their defaults, and fragments', () => {
    const q = 'query($n: Int = 6) { ...F } fragment F on Query { items(first: $n) { name } }';
    expect(c(q)).toBe(6);
    expect(c(q, { n: 9 })).toBe(9);
    // A value execution refuses is refused here too: no cost is made of it.
    expect(() => c('query($n: Int = 6) { items(first: $n) { name } }', { n: 'x' })).toThrow(
      VariableValuesError,
    );
  });
});

describe('Lru by weight', () => {
  it('keeps the sum of weights under its bound, dropping the oldest', () => {
    const lru = new Lru<string, string>(1000, 10, (v) => v.length);
    lru.set('a', 'xxxx');
    lru.set('b', 'xxxx');
    lru.set('c', 'xxxx');
    expect([lru.peek('a'), lru.size, lru.weight]).toEqual([undefined, 2, 8]);
    lru.set('huge', 'x'.repeat(11)); // heavier than the whole bound: not kept
    expect([lru.peek('huge'), lru.size]).toEqual([undefined, 2]);
    lru.grow('c', 5);
    expect([lru.peek('b'), lru.weight]).toEqual([undefined, 9]);
  });
});

describe('the cost of introspection', () => {
  const schemaField = '__schema { types { name fields { name type { name } } } }';
  it('prices the whole schema at 5,000 and one type at 50, __typename at nothing', () => {
    expect(cost(`{ ${schemaField} }`)).toBe(5_000);
    expect(cost('{ __type(name: "Village") { name fields { name } } __typename }')).toBe(50);
    // GraphiQL's own introspection query fits under the default MAX_COST.
    expect(cost(getIntrospectionQuery())).toBeLessThanOrEqual(defaults.maxCost);
  });

  it('refuses thirty aliased copies of the schema (each was free: 3.5 MB a request)', () => {
    const copies = Array.from({ length: 30 }, (_, i) => `s${i}: ${schemaField}`).join(' ');
    expect(cost(`{ ${copies} }`)).toBe(150_000);
    expect(cost(`{ ${copies} }`)).toBeGreaterThan(defaults.maxCost);
  });
});
