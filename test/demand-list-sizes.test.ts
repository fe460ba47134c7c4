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

describe('Region.children is priced as the most children a region has', () => {
  const levels: Record<string, { parent: string; count: number; parents: number }> = {};

  beforeAll(async () => {
    levels.province = await largestGroup('cities', 'provinceCode');
    levels.city = await largestGroup('areas', 'cityCode');
    levels.county = await largestGroup('streets', 'areaCode');
  }, 60_000);

  it('sizes every level at least as large as its largest region', () => {
    const size = model.listSizes.get('Region.children')?.assumedSize ?? defaultListSize;
    for (const [level, largest] of Object.entries(levels)) {
      expect({ level, ...largest, covered: size >= largest.count }).toEqual({
        level,
        ...largest,
        covered: true,
      });
    }
    expect(model.listSizes.get('Query.provinces')?.assumedSize).toBeGreaterThanOrEqual(
      levels.province.parents,
    );
  });

  it("costs a page of each of the largest county's townships as that many pages", () => {
    const county = levels.county;
    const doc = `{ region(code: "${county.parent}") { children { villages(first: 100) {
      edges { node { code } } } } } }`;
    const perTownship = 1 + 100 * 2; // the connection, then each edge and its node
    const cost = costOf(schema, model, parse(doc), undefined, {}, defaultListSize);
    expect(cost).toBeGreaterThanOrEqual(county.count * perTownship);
  });
});
