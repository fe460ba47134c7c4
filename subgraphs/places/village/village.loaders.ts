import type { EntityManager } from '../../shared/database.js';
import { rowBy } from '../../shared/loaders.js';
import { pageLoader } from '../../shared/page-loader.js';
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
  return {
    villageByCode: rowBy(em, Village, 'code'),
    /**
     * Pages of villages for many regions at once (e.g. `children { villages(first: 5) }`): one
     * windowed query per distinct (level, page size, cursor, kind), whatever the region count.
     * Each page holds up to limit + 1 rows so the caller can tell whether a next page exists.
     */
    villagePages: pageLoader<VillagePageKey, Village>({
      parent: (k) => k.regionCode,
      // The region's level picks the column; a kind, the villages.
      shape: (k) => `${k.regionCode.length}|${k.kind ?? ''}`,
      rows: async (group) => {
        const { limit, after, kind } = group[0];
        const column = regionColumn(group[0].regionCode);
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
