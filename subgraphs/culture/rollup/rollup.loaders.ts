import type { EntityManager } from '../../shared/database.js';
import { monthRangeLoader, rowBy } from '../../shared/loaders.js';
import { RegionCultureRollup } from './rollup.entity.js';
import { USAGE_SUM_COLUMNS, ZERO_USAGE_SUMS, type UsageSums } from './usage-sums.js';

export interface RegionUsageKey {
  regionCode: string;
  from: string;
  to: string;
}

/** Usage sums of one region (or village) in one month. */
export interface UsageMonthSums extends UsageSums {
  month: string;
}

const toSums = (row: Record<string, unknown>) =>
  Object.fromEntries(
    USAGE_SUM_COLUMNS.map(([key, column]) => [key, Number(row[column] ?? 0)]),
  ) as unknown as UsageSums;

export function createRegionLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    /** One rollup row per region: one IN query for every region of a request. */
    regionRollup: rowBy(em, RegionCultureRollup, 'regionCode'),
    /** Usage sums of many regions over one month range: one grouped query per range. */
    regionUsage: monthRangeLoader({
      code: (k: RegionUsageKey) => k.regionCode,
      column: 'region_code',
      rows: (narrow) =>
        em.execute(
          knex('region_usage_rollup')
            .select('region_code')
            .select(USAGE_SUM_COLUMNS.map(([, column]) => knex.raw(`sum(${column}) as ${column}`)))
            .modify(narrow)
            .groupBy('region_code'),
        ),
      value: ([row]) => (row ? toSums(row) : ZERO_USAGE_SUMS),
    }),
    /** Month-by-month usage of many regions over one range: one grouped query per range. */
    regionUsageMonths: monthRangeLoader({
      code: (k: RegionUsageKey) => k.regionCode,
      column: 'region_code',
      rows: (narrow) =>
        em.execute(
          knex('region_usage_rollup')
            .select('region_code', 'month', ...USAGE_SUM_COLUMNS.map(([, column]) => column))
            .modify(narrow)
            .orderBy(['region_code', 'month']),
        ),
      value: (rows): UsageMonthSums[] =>
        rows.map((row) => ({ month: String(row.month), ...toSums(row) })),
    }),
    /**
     * Usage sums of many villages over one range, from the auditorium table (village figures
     * are not region rollups): one grouped query per range. `regionCode` is the village code.
     */
    villageUsage: monthRangeLoader({
      code: (k: RegionUsageKey) => k.regionCode,
      column: 'village_code',
      rows: (narrow) =>
        em.execute(
          knex('auditorium_usage')
            .select('village_code')
            .select(knex.raw('count(*) as reports'))
            .select(
              USAGE_SUM_COLUMNS.slice(1, 7).map(([, column]) =>
                knex.raw(`sum(${column}) as ${column}`),
              ),
            )
            .modify(narrow)
            .groupBy('village_code'),
        ),
      value: ([row]) => (row ? toSums(row) : ZERO_USAGE_SUMS),
    }),
  };
}
