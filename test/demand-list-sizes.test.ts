import { beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  parse,
} from 'graphql';
import { loadGatewayConfig } from '../gateway/config.js';
import { costOf, CostModel } from '../gateway/operations/cost.js';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';
import {
  assignPark,
  countyParks,
  enterpriseYears,
  huangJiefeiEnterprise,
  villageEnterprise,
} from '../subgraphs/commerce/seed/enterprises.seed.js';
import { songyangStores, villageStores } from '../subgraphs/commerce/seed/stores.seed.js';
import { SONGYANG } from '../subgraphs/commerce/rollup/rollup.rebuild.js';
import { MAX_PERIODS } from '../subgraphs/healthcare/facility/opening-hours.js';
import {
  isRuralVillageName,
  readDivisions,
  type DivisionFile,
} from '../subgraphs/shared/divisions.js';

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

/**
 * The most enterprises of one park and of one village, and years of one enterprise, as the
 * commerce seeder makes them (`npm run seed`, seed 1); no write adds any of them.
 */
async function commerceLists(seed = 1, hosted = new Map<string, number>()) {
  const songyang: string[] = [];
  for await (const v of readDivisions('villages', SONGYANG))
    if (isRuralVillageName(v.name)) songyang.push(v.code);
  const teaStores = new Map<string, ReturnType<typeof songyangStores>>();
  for (const s of songyangStores(seed, songyang)) {
    const code = s.village_code as string;
    teaStores.set(code, [...(teaStores.get(code) ?? []), s]);
  }
  const parksOf = new Map<string, ReturnType<typeof countyParks>>();
  const counts = new Map<string, number>();
  const villages = new Map<string, number>();
  let years = 1; // Huang Jiefei's enterprise: its reported year
  expect(huangJiefeiEnterprise().enterprise.village_code).toBeNull();
  for await (const d of readDivisions('villages', '')) {
    if (!isRuralVillageName(d.name)) continue;
    const v = { code: d.code, name: d.name, areaCode: d.areaCode };
    if (!parksOf.has(v.areaCode)) parksOf.set(v.areaCode, countyParks(seed, v.areaCode));
    const stores = v.areaCode === SONGYANG ? (teaStores.get(v.code) ?? []) : villageStores(seed, v);
    const enterprise = villageEnterprise(seed, v, stores);
    if (!enterprise) continue;
    villages.set(v.code, (villages.get(v.code) ?? 0) + 1);
    years = Math.max(years, enterpriseYears(seed, enterprise, new Map(), stores).length);
    assignPark(seed, enterprise, parksOf.get(v.areaCode)!, hosted);
    const park = enterprise.park_id as string | null;
    if (park) counts.set(park, (counts.get(park) ?? 0) + 1);
  }
  const park = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  return { park, perVillage: Math.max(...villages.values()), years };
}

describe('lists without pages are priced by the most they hold', () => {
  it('sizes enterprises of a park and of a village, and their years, as the seeded data', async () => {
    const { park, perVillage, years } = await commerceLists();
    const size = (coordinate: string) => model.listSizes.get(coordinate)?.assumedSize;
    expect(park[1]).toBeGreaterThan(defaultListSize);
    expect({ park, covered: size('EcommercePark.enterprises')! >= park[1] }).toEqual({
      park,
      covered: true,
    });
    expect([size('VillageCommerce.enterprises'), size('Enterprise.years')]).toEqual([
      perVillage,
      years,
    ]);
  }, 60_000);

  it('hosts no more enterprises in a park than it is priced for, whatever the seed', async () => {
    // Seed 1's parks are what they were before the seeder capped them (no park was full when
    // one more enterprise drew it); seed 3 drew up to 31 for one park before.
    const uncapped = new (class extends Map<string, number> {
      override get() {
        return 0;
      }
    })();
    const [capped, before] = await Promise.all([commerceLists(1), commerceLists(1, uncapped)]);
    expect(capped).toEqual(before);
    const other = await commerceLists(3);
    expect(other.park[1]).toBe(model.listSizes.get('EcommercePark.enterprises')?.assumedSize);
  }, 120_000);

  it("sizes a facility's opening hours as the most periods a steward may write", () => {
    expect(model.listSizes.get('Facility.openingHours')?.assumedSize).toBe(MAX_PERIODS);
    expect(MAX_PERIODS).toBeGreaterThan(defaultListSize);
  });

  it('sizes every other list, or knows why the default size covers it', () => {
    const unsized: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const item = getNamedType(field.type);
        if (!isListType(getNullableType(field.type)) || model.listSizes.has(coordinate)) continue;
        // A connection's page, sized by its field's `first`; a list of enum values.
        if (/Connection$/.test(type.name)) continue;
        if (isEnumType(item) && item.getValues().length <= defaultListSize) continue;
        unsized.push(coordinate);
      }
    }
    expect(unsized.sort()).toEqual(Object.keys(WITHIN_DEFAULT).sort());
  });
});

/**
 * Lists the default size (20) covers, each with the most it holds. Month series are sized by
 * their range (cost.ts), not by a number here.
 */
const WITHIN_DEFAULT: Record<string, string> = {
  'Auditorium.resources': '10: an e-book, 3 more with a terminal, 2 courses, 2 + 2 dialect lessons',
  'Auditorium.usage': 'a month series',
  'Facility.telemedicine': '1: a facility has one partner hospital',
  'OnlineStore.monthlySales': 'a month series',
  'RegionAssistedBookings.months': 'a month series',
  'RegionCommerce.reportedFacts': 'the few statements of the source about one region',
  'RegionCulture.reportedFacts': 'the few statements of the source about one region',
  'RegionStoreCounts.byCategory': 'one per ProductCategory (6)',
  'RegionStoreCounts.byPlatform': 'one per Platform (6)',
  'RegionUsageTotals.months': 'a month series',
  'SalesFigure.months': 'a month series',
  'VillageChange.what': '6: the kinds of write the outboxes name',
  'VillageCommerce.servicePoints': '2: one of each kind',
  'VillageHealthcare.assistancePoints': '2: one of each kind',
  'VillageHealthcare.facilities': '3: nearest clinic, centre and hospital',
  'VillageHealthcare.telemedicine': "3: one link of each of the village's facilities",
};
