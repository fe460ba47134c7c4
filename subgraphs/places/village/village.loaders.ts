import type { EntityManager } from '../../shared/database.js';
import { rowBy } from '../../shared/loaders.js';
import { firstRowsOfEach, pageLoader } from '../../shared/page-loader.js';
import { Village, VillageKind } from './village.entity.js';

/** Column holding the enclosing region's code, by the length of that code. */
const REGION_COLUMN: Record<number, string> = {
  2: 'province_code',
  4: 'city_code',
  6: 'county_code',
  9: 'township_code',
};

export function regionColumn(regionCode: string): string {
  const column = REGION_COLUMN[regionCode.length];
  if (!column) throw new Error(`not a region code: ${regionCode}`);
  return column;
}

export interface VillagePageKey {
  regionCode: string;
  limit: number;
  after: string | null;
  kind: VillageKind | null;
}

interface VillageRow {
  code: string;
  name: string;
  kind: VillageKind;
  township_code: string;
  county_code: string;
  city_code: string;
  province_code: string;
}

function toVillage(row: VillageRow): Village {
  return Object.assign(new Village(), {
    code: row.code,
    name: row.name,
    kind: row.kind,
    townshipCode: row.township_code,
    countyCode: row.county_code,
    cityCode: row.city_code,
    provinceCode: row.province_code,
  });
}

export function createVillageLoaders(em: EntityManager) {
  const knex = em.getKnex();

  /**
   * Pages of provinces and cities: each region's page read from the index on (its column,
   * code), limit + 1 rows a region, in one statement (UNION ALL). The windowed query numbers
   * every village of every region asked for: a page of one village of each province read all
   * 620,573 (0.5 s), and 17 aliased ones kept places busy for 3 s (SQLite runs on its thread).
   */
  async function pagesOfLargeRegions(group: VillagePageKey[], column: string) {
    const { limit, after, kind } = group[0];
    const codes = [...new Set(group.map((k) => k.regionCode))];
    const rows = await firstRowsOfEach(
      knex,
      codes,
      (code) => {
        const page = knex('village').select('*').where(column, code);
        if (after) page.where('code', '>', after);
        if (kind) page.where('kind', kind);
        return page;
      },
      'code',
      limit + 1,
      async (statement) => (await statement) as VillageRow[],
    );
    const regionOf = (row: VillageRow) => (row as unknown as Record<string, string>)[column];
    rows.sort((a, b) =>
      regionOf(a) === regionOf(b)
        ? a.code.localeCompare(b.code)
        : regionOf(a).localeCompare(regionOf(b)),
    );
    return rows.map((row) => [regionOf(row), toVillage(row)] as const);
  }

  return {
    villageByCode: rowBy(em, Village, 'code'),
    /**
     * Pages of villages for many regions at once (e.g. `children { villages(first: 5) }`): one
     * windowed query per distinct (level, page size, cursor, kind), whatever the region count
     * (provinces and cities: pagesOfLargeRegions).
     * Each page holds up to limit + 1 rows so the caller can tell whether a next page exists.
     */
    villagePages: pageLoader<VillagePageKey, Village>({
      parent: (k) => k.regionCode,
      // The region's level picks the column; a kind, the villages.
      shape: (k) => `${k.regionCode.length}|${k.kind ?? ''}`,
      rows: async (group) => {
        const { limit, after, kind } = group[0];
        const column = regionColumn(group[0].regionCode);
        if (group[0].regionCode.length <= 4) return pagesOfLargeRegions(group, column);
        const inner = knex('village')
          .select('*')
          .select(knex.raw(`row_number() over (partition by ${column} order by code) as rn`))
          .whereIn(
            column,
            group.map((k) => k.regionCode),
          );
        if (after) inner.where('code', '>', after);
        if (kind) inner.where('kind', kind);
        const rows: (VillageRow & Record<string, string>)[] = await knex
          .select('*')
          .from(inner.as('t'))
          .where('rn', '<=', limit + 1)
          .orderBy([column, 'code']);
        return rows.map((row) => [row[column], toVillage(row)] as const);
      },
    }),
  };
}
