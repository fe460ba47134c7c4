import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { groupKeys, ofCodesInMonths, rowBy } from '../../shared/loaders.js';
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

const toSums = (row: Record<string, string | number | null>) =>
  Object.fromEntries(
    USAGE_SUM_COLUMNS.map(([key, column]) => [key, Number(row[column] ?? 0)]),
  ) as unknown as UsageSums;

const rangeKey = (k: RegionUsageKey) => `${k.regionCode}|${k.from}|${k.to}`;

export function createRegionLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    /** One rollup row per region: one IN query for every region of a request. */
    regionRollup: rowBy(em, RegionCultureRollup, 'regionCode'),
    /** Usage sums of many regions over one month range: one grouped query per range. */
    regionUsage: new DataLoader<RegionUsageKey, UsageSums, string>(
      async (keys) => {
        const sums = new Map<string, UsageSums>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const { from, to } = group[0];
          const codes = group.map((k) => k.regionCode);
          const rows: Record<string, string | number | null>[] = await em.execute(
            knex('region_usage_rollup')
              .select('region_code')
              .select(
                USAGE_SUM_COLUMNS.map(([, column]) => knex.raw(`sum(${column}) as ${column}`)),
              )
              .modify(ofCodesInMonths('region_code', codes, { from, to }))
              .groupBy('region_code'),
          );
          for (const row of rows) sums.set(`${row.region_code}|${from}|${to}`, toSums(row));
        }
        return keys.map((k) => sums.get(rangeKey(k)) ?? ZERO_USAGE_SUMS);
      },
      { cacheKeyFn: rangeKey },
    ),
    /** Month-by-month usage of many regions over one range: one grouped query per range. */
    regionUsageMonths: new DataLoader<RegionUsageKey, UsageMonthSums[], string>(
      async (keys) => {
        const months = new Map<string, UsageMonthSums[]>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const { from, to } = group[0];
          const codes = group.map((k) => k.regionCode);
          const rows: Record<string, string | number | null>[] = await em.execute(
            knex('region_usage_rollup')
              .select('region_code', 'month', ...USAGE_SUM_COLUMNS.map(([, column]) => column))
              .modify(ofCodesInMonths('region_code', codes, { from, to }))
              .orderBy(['region_code', 'month']),
          );
          for (const row of rows) {
            const key = `${row.region_code}|${from}|${to}`;
            months.set(key, [
              ...(months.get(key) ?? []),
              { month: String(row.month), ...toSums(row) },
            ]);
          }
        }
        return keys.map((k) => months.get(rangeKey(k)) ?? []);
      },
      { cacheKeyFn: rangeKey },
    ),
    /**
     * Usage sums of many villages over one range, from the auditorium table (village figures
     * are not region rollups): one grouped query per range. `regionCode` is the village code.
     */
    villageUsage: new DataLoader<RegionUsageKey, UsageSums, string>(
      async (keys) => {
        const sums = new Map<string, UsageSums>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const { from, to } = group[0];
          const codes = group.map((k) => k.regionCode);
          const rows: Record<string, string | number | null>[] = await em.execute(
            knex('auditorium_usage')
              .select('village_code')
              .select(knex.raw('count(*) as reports'))
              .select(
                USAGE_SUM_COLUMNS.slice(1, 7).map(([, column]) =>
                  knex.raw(`sum(${column}) as ${column}`),
                ),
              )
              .modify(ofCodesInMonths('village_code', codes, { from, to }))
              .groupBy('village_code'),
          );
          for (const row of rows) sums.set(`${row.village_code}|${from}|${to}`, toSums(row));
        }
        return keys.map((k) => sums.get(rangeKey(k)) ?? ZERO_USAGE_SUMS);
      },
      { cacheKeyFn: rangeKey },
    ),
  };
}
