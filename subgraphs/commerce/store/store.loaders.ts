import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { findIn, groupKeys, rowBy } from '../../shared/loaders.js';
import { mapRow } from '../../shared/plain-rows.js';
import { StoreMonthlySales } from '../sales/sales.entity.js';
import { OnlineStore } from './store.entity.js';

export interface StorePageKey {
  /** Village code or enterprise id, depending on the loader. */
  owner: string;
  limit: number;
  after: string | null;
}

export interface StorePage {
  rows: OnlineStore[];
  total: number;
}

/**
 * Queries run through `em.execute` so the ORM sees (logs and counts) every statement.
 * Pages of stores for many owners in one statement per distinct (limit, after): a window
 * function numbers each owner's stores and counts them, so the page and its total come together.
 */
function storePages(em: EntityManager, column: 'village_code' | 'enterprise_id') {
  const knex = em.getKnex();
  const pageOf = (k: StorePageKey) => `${k.limit}|${k.after ?? ''}`;
  // By owner and page: an owner asked with two pages in one batch gets each its own.
  const keyOf = (owner: string, page: StorePageKey) => `${owner}|${pageOf(page)}`;
  return new DataLoader<StorePageKey, StorePage, string>(
    async (keys) => {
      const pages = new Map<string, StorePage>();
      for (const group of groupKeys(keys, pageOf)) {
        const { limit, after } = group[0];
        // `skipped` counts an owner's stores up to the cursor, so `rn` bounds the page in SQL.
        const inner = knex('online_store')
          .select('*')
          .select(knex.raw(`row_number() over (partition by ${column} order by id) as rn`))
          .select(knex.raw(`count(*) over (partition by ${column}) as total`))
          .select(
            knex.raw(
              `sum(case when id <= ? then 1 else 0 end) over (partition by ${column}) as skipped`,
              [after ?? ''],
            ),
          )
          .whereIn(
            column,
            group.map((k) => k.owner),
          );
        const rows = await em.execute<Record<string, unknown>[]>(
          knex
            .select('*')
            .from(inner.as('t'))
            .where('id', '>', after ?? '')
            .andWhere(knex.raw('rn <= skipped + ?', [limit + 1]))
            .orderBy([column, 'id']),
        );
        for (const row of rows) {
          const key = keyOf(row[column] as string, group[0]);
          const page = pages.get(key) ?? { rows: [], total: Number(row.total) };
          page.rows.push(mapRow(em, OnlineStore, row));
          pages.set(key, page);
        }
        // Owners whose stores all precede the cursor still have a total.
        if (after) {
          const counts = await em.execute<{ owner: string; n: number | string }[]>(
            knex('online_store')
              .select(`${column} as owner`)
              .count('* as n')
              .whereIn(
                column,
                group.filter((k) => !pages.has(keyOf(k.owner, k))).map((k) => k.owner),
              )
              .groupBy(column),
          );
          for (const c of counts) {
            pages.set(keyOf(c.owner, group[0]), { rows: [], total: Number(c.n) });
          }
        }
      }
      return keys.map((k) => pages.get(keyOf(k.owner, k)) ?? { rows: [], total: 0 });
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
}

export interface SalesKey {
  storeId: string;
  from: string;
  to: string;
}

export function createStoreLoaders(em: EntityManager) {
  return {
    storeById: rowBy(em, OnlineStore, 'id'),
    storePagesByVillage: storePages(em, 'village_code'),
    storePagesByEnterprise: storePages(em, 'enterprise_id'),
    /** Monthly sales of many stores, one statement per distinct month range. */
    salesByStore: new DataLoader<SalesKey, StoreMonthlySales[], string>(
      async (keys) => {
        const out = new Map<string, StoreMonthlySales[]>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const { from, to } = group[0];
          const rows = await findIn(
            em,
            StoreMonthlySales,
            'storeId',
            group.map((k) => k.storeId),
            { between: { prop: 'month', from, to }, orderBy: ['storeId', 'month'] },
          );
          for (const r of rows) {
            const key = `${r.storeId}|${from}|${to}`;
            out.set(key, [...(out.get(key) ?? []), r]);
          }
        }
        return keys.map((k) => out.get(`${k.storeId}|${k.from}|${k.to}`) ?? []);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}
