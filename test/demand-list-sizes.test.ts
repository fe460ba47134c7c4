import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { loadGatewayConfig } from '../gateway/config.js';
import { costOf, CostModel } from '../gateway/operations/cost.js';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';
import { readDivisions, type DivisionFile } from '../subgraphs/shared/divisions.js';

/**
 * A list the schema sizes with `assumedSize` is priced as that many items whatever it holds:
 * the size must be the largest such list in the division data the seeds load (national scope),
 * or a document that names the largest one does more work than it pays for.
 */
const sdl = readSupergraph();
const schema = apiSchemaOf(sdl);
const model = CostModel.fromSupergraph(sdl);
const { defaultListSize } = loadGatewayConfig({}).limits;

/** The most rows of `file` under one parent (its `parentColumn`), and that parent. */
async function largestGroup(file: DivisionFile, parentColumn: string) {
  const counts = new Map<string, number>();
  for await (const row of readDivisions(file)) {
    counts.set(row[parentColumn], (counts.get(row[parentColumn]) ?? 0) + 1);
  }
  let largest = { parent: '', count: 0 };
  for (const [parent, count] of counts) if (count > largest.count) largest = { parent, count };
  return { ...largest, parents: counts.size };
}

/** The most regions `depth` levels below one region, and that region. */
function largestBelow(children: Map<string, string[]>, depth: number) {
  const below = (code: string, d: number): number =>
    d === 0 ? 1 : (children.get(code) ?? []).reduce((n, c) => n + below(c, d - 1), 0);
  let largest = { parent: '', count: 0 };
  for (const code of children.keys()) {
    const count = below(code, depth);
    if (count > largest.count) largest = { parent: code, count };
  }
  return largest;
}

describe('Region.children is priced by the most children regions have', () => {
  const levels: Record<string, { parent: string; count: number; parents: number }> = {};
  const children = new Map<string, string[]>();
  const size = model.listSizes.get('Region.children')?.assumedSize ?? defaultListSize;

  beforeAll(async () => {
    levels.province = await largestGroup('cities', 'provinceCode');
    levels.city = await largestGroup('areas', 'cityCode');
    levels.county = await largestGroup('streets', 'areaCode');
    for (const [file, parent] of [
      ['cities', 'provinceCode'],
      ['areas', 'cityCode'],
      ['streets', 'areaCode'],
    ] as const) {
      for await (const row of readDivisions(file)) {
        children.set(row[parent], [...(children.get(row[parent]) ?? []), row.code]);
      }
    }
  }, 60_000);

  it("sizes a province's or a city's children as its largest, a county's at half at least", () => {
    for (const level of ['province', 'city']) {
      expect({ level, ...levels[level], covered: size >= levels[level].count }).toEqual({
        level,
        ...levels[level],
        covered: true,
      });
    }
    expect(size * 2).toBeGreaterThanOrEqual(levels.county.count);
    expect(model.listSizes.get('Query.provinces')?.assumedSize).toBeGreaterThanOrEqual(
      levels.province.parents,
    );
  });

  it('never prices two or three levels of children under the regions they hold', () => {
    for (const depth of [2, 3]) {
      const largest = largestBelow(children, depth);
      expect({ depth, ...largest, covered: size ** depth >= largest.count }).toEqual({
        depth,
        ...largest,
        covered: true,
      });
    }
    // A page of villages of each township of the city with the most townships.
    const { parent, count } = largestBelow(children, 2);
    const doc = `{ region(code: "${parent}") { children { children { villages(first: 100) {
      edges { node { code } } } } } } }`;
    const perTownship = 1 + 100 * 2; // the connection, then each edge and its node
    const cost = costOf(schema, model, parse(doc), undefined, {}, defaultListSize);
    expect(cost).toBeGreaterThanOrEqual(count * perTownship);
  });
});
