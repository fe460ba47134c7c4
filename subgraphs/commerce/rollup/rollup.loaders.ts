import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import {
  groupKeys,
  monthRangeLoader,
  ofCodesInMonths,
  rowBy,
  rowsBy,
} from '../../shared/loaders.js';
import { mapRow } from '../../shared/plain-rows.js';
import { CommerceRegion, CommerceRegionStore } from './rollup.entity.js';

export interface RegionSalesKey {
  code: string;
  from: string;
  to: string;
}

export interface SalesTotal {
  orders: bigint;
  revenueFen: bigint;
}

export interface ChildRow {
  regionCode: string;
  parentCode: string;
  region: CommerceRegion;
  /** Store count and jobs restricted to a platform/category filter, when one is given. */
  filtered: { storeCount: number; jobs: number } | null;
  sales: SalesTotal | null;
}

export interface ChildrenKey {
  parent: string;
  /** Month range for sales figures, or null when the metric needs none. */
  from: string | null;
  to: string | null;
  platform: string | null;
  category: string | null;
}

const big = (v: unknown) => BigInt(String(v ?? 0));
const periodFilterKey = (k: ChildrenKey) => [k.from, k.to, k.platform, k.category].join('|');

/**
 * Request-scoped loaders over the rollup tables: one statement per batch (and per period). Knex
 * queries run through `em.execute` so the ORM sees (logs and counts) every statement.
 */
export function createRollupLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    region: rowBy(em, CommerceRegion, 'regionCode'),
    regionStores: rowsBy(em, CommerceRegionStore, 'regionCode', {
      orderBy: ['platform', 'category'],
    }),
    regionSales: monthRangeLoader({
      code: (k: RegionSalesKey) => k.code,
      column: 'region_code',
      rows: (narrow) =>
        em.execute(
          knex('commerce_region_month')
            .select('region_code')
            .sum({ orders: 'orders', revenue: 'revenue_fen' })
            .modify(narrow)
            .groupBy('region_code'),
        ),
      value: ([r]): SalesTotal =>
        r ? { orders: big(r.orders), revenueFen: big(r.revenue) } : { orders: 0n, revenueFen: 0n },
    }),
    /** Orders and revenue month by month for many codes over one range: one query per range. */
    regionSalesMonths: monthRangeLoader({
      code: (k: RegionSalesKey) => k.code,
      column: 'region_code',
      rows: (narrow) =>
        em.execute(
          knex('commerce_region_month')
            .select('region_code', 'month', 'orders', 'revenue_fen')
            .modify(narrow)
            .orderBy(['region_code', 'month']),
        ),
      value: (rows): (SalesTotal & { month: string })[] =>
        rows.map((r) => ({
          month: String(r.month),
          orders: big(r.orders),
          revenueFen: big(r.revenue_fen),
        })),
    }),
    /**
     * The child regions of many parents with their figures, in one statement per distinct
     * (period, filter): children are the rollup rows whose parent_code is the parent.
     */
    children: new DataLoader<ChildrenKey, ChildRow[], string>(
      async (keys) => {
        const out = new Map<string, ChildRow[]>();
        for (const group of groupKeys(keys, periodFilterKey)) {
          const { from, to, platform, category } = group[0];
          const parents = group.map((k) => k.parent);
          const query = knex('commerce_region as r')
            .select('r.*')
            .whereIn('r.parent_code', parents);
          if (from && to) {
            const sales = knex('commerce_region_month')
              .select('region_code')
              .sum({ s_orders: 'orders', s_revenue: 'revenue_fen' })
              .modify(ofCodesInMonths('parent_code', parents, { from, to }))
              .groupBy('region_code')
              .as('m');
            query
              .leftJoin(sales, 'm.region_code', 'r.region_code')
              .select('m.s_orders', 'm.s_revenue');
          }
          if (platform || category) {
            const filtered = knex('commerce_region_store')
              .select('region_code')
              .sum({ f_stores: 'store_count', f_jobs: 'jobs' })
              .whereIn(
                'region_code',
                knex('commerce_region').select('region_code').whereIn('parent_code', parents),
              )
              .modify((q) => {
                if (platform) q.where('platform', platform);
                if (category) q.where('category', category);
              })
              .groupBy('region_code')
              .as('f');
            query
              .leftJoin(filtered, 'f.region_code', 'r.region_code')
              .select('f.f_stores', 'f.f_jobs');
          }
          const rows = await em.execute<Record<string, unknown>[]>(query.orderBy('r.region_code'));
          for (const row of rows) {
            const region = mapRow(em, CommerceRegion, row);
            const child: ChildRow = {
              regionCode: region.regionCode,
              parentCode: region.parentCode!,
              region,
              filtered:
                platform || category
                  ? { storeCount: Number(row.f_stores ?? 0), jobs: Number(row.f_jobs ?? 0) }
                  : null,
              sales: from ? { orders: big(row.s_orders), revenueFen: big(row.s_revenue) } : null,
            };
            const key = `${child.parentCode}|${periodFilterKey(group[0])}`;
            out.set(key, [...(out.get(key) ?? []), child]);
          }
        }
        return keys.map((k) => out.get(`${k.parent}|${periodFilterKey(k)}`) ?? []);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}
