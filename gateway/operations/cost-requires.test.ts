import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, readSupergraph } from '../../scripts/api-schema.js';
import { loadGatewayConfig } from '../config.js';
import { costOf, CostModel } from './cost.js';

/**
 * What a field `@requires` is fetched by the gateway before the field runs; when a required
 * field has requirements of its own (culture's `cultureIndexInput` needs the region's children),
 * the gateway fetches those too. Priced without them, the digital index of a province's 90
 * counties (11 aliased cities) cost 4 587 and took 1.2–1.5 s, while selecting the children the
 * index fetches cost 30 327 (Zhejiang, SQLite, load 14).
 */
const sdl = readSupergraph();
const schema = apiSchemaOf(sdl);
const model = CostModel.fromSupergraph(sdl);
const { defaultListSize } = loadGatewayConfig({}).limits;
const requirement = (coordinate: string) => model.requirementCost(coordinate, defaultListSize);
const cost = (query: string) => costOf(schema, model, parse(query), undefined, {}, defaultListSize);

/** The top-level fields a field set names, as coordinates of `parent`. */
function namedFields(parent: string, fieldSet: string): string[] {
  const op = parse(`{ ${fieldSet} }`).definitions[0] as OperationDefinitionNode;
  return op.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [`${parent}.${s.name.value}`] : [],
  );
}

describe('the requirements of requirements', () => {
  it('price every field with @requires at least at the requirements of the fields it requires', () => {
    let nested = 0;
    for (const [coordinate, fieldSet] of model.requires) {
      const parent = coordinate.split('.')[0];
      for (const inner of namedFields(parent, fieldSet)) {
        if (!model.requires.has(inner)) continue;
        nested++;
        expect({
          coordinate,
          inner,
          covered: requirement(coordinate) >= requirement(inner),
        }).toEqual({ coordinate, inner, covered: true });
      }
    }
    expect(nested).toBeGreaterThan(0); // Region.digitalIndex requires cultureIndexInput
  });

  it("prices a region's index at least as the children culture fetches for it", () => {
    const index = cost('{ region(code: "3311") { digitalIndex { score } } }');
    const children = cost('{ region(code: "3311") { children { code ruralVillageCount } } }');
    expect(index).toBeGreaterThanOrEqual(children);
    // Each child of a ranking has its own index inputs fetched, and their children with them.
    const ranking = requirement('Region.childrenByIndex');
    const perChild = requirement('Region.cultureIndexInput');
    const size = model.listSizes.get('Region.children')?.assumedSize ?? defaultListSize;
    expect(ranking).toBeGreaterThanOrEqual(size * perChild);
  });
});

describe('a cycle of requirements', () => {
  // None in today's supergraph; priced so, a field set met inside a cycle was kept at the
  // price it had while its ancestor counted as 0, and the order of questions decided a price.
  const cyclic = () => {
    const m = new CostModel('type Query { t: T } type T { x: Int y: Int z: [Int] }');
    m.requires.set('T.x', 'y z');
    m.requires.set('T.y', 'x');
    for (const [field, weight] of [
      ['x', 1],
      ['y', 2],
      ['z', 4],
    ] as const) {
      m.fieldWeights.set(`T.${field}`, weight);
    }
    return m;
  };

  it('prices each field set the same whichever is asked first', () => {
    const xFirst = cyclic();
    xFirst.requirementCost('T.x', 10);
    expect(xFirst.requirementCost('T.y', 10)).toBe(cyclic().requirementCost('T.y', 10));
    const yFirst = cyclic();
    yFirst.requirementCost('T.y', 10);
    expect(yFirst.requirementCost('T.x', 10)).toBe(cyclic().requirementCost('T.x', 10));
  });
});
