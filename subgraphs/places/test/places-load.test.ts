import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { readDivisions } from '../../shared/divisions.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { placesSubgraph } from '../index.js';

// Loads whole provinces far from Zhejiang: Hainan (46) and Xinjiang (65).
let places: BootedSubgraph;
beforeAll(async () => {
  places = await bootSubgraph(placesSubgraph as never, { scopes: ['4601', '46', '65'] });
});
afterAll(() => places?.close());

async function tableCounts() {
  const em = places.started.orm.em.fork() as EntityManager;
  const knex = em.getKnex();
  const [regions, villages] = await Promise.all([
    knex('region').count({ n: '*' }).first(),
    knex('village').count({ n: '*' }).first(),
  ]);
  return { region: Number(regions!.n), village: Number(villages!.n) };
}

async function datasetCount(prefixes: string[]) {
  let n = 0;
  for await (const v of readDivisions('villages'))
    if (prefixes.some((p) => v.code.startsWith(p))) n++;
  return n;
}

describe('loading the division data', () => {
  it('answers for villages in Hainan and Xinjiang with their hierarchy', async () => {
    const first = async (province: string) => {
      for await (const v of readDivisions('villages', province)) return v;
      throw new Error('no village');
    };
    const [hainan, xinjiang] = await Promise.all([first('46'), first('65')]);
    const res = await places.query(
      `query($a: ID!, $b: ID!) {
        a: village(code: $a) { code name province { name } }
        b: village(code: $b) { code name province { name } } }`,
      { a: hainan.code, b: xinjiang.code },
    );
    expect(res.body).toEqual({
      data: {
        a: { code: hainan.code, name: hainan.name, province: { name: '海南省' } },
        b: { code: xinjiang.code, name: xinjiang.name, province: { name: '新疆维吾尔自治区' } },
      },
    });
  });

  it('widening a scope adds without duplicating, and reloading leaves identical counts', async () => {
    // Loaded 4601 (Haikou) first, then all of 46: no duplicates.
    const before = await tableCounts();
    expect(before.village).toBe(await datasetCount(['46', '65']));
    await placesSubgraph.seed(places.started.orm, { scope: '46', seed: 7 });
    expect(await tableCounts()).toEqual(before);
  });

  it('keeps per-region village counts equal to the dataset', async () => {
    const res = await places.query(
      '{ region(code: "65") { villageCount ruralVillageCount children { villageCount } } }',
    );
    const region = (
      res.body.data as {
        region: {
          villageCount: number;
          ruralVillageCount: number;
          children: { villageCount: number }[];
        };
      }
    ).region;
    expect(region.villageCount).toBe(await datasetCount(['65']));
    expect(region.children.reduce((a, c) => a + c.villageCount, 0)).toBe(region.villageCount);
    expect(region.ruralVillageCount).toBeLessThanOrEqual(region.villageCount);
  });
});
