import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/knex';
import { groupKeys } from './loaders.js';

/** A key asking for a page of one parent's items: at most `limit` after the cursor `after`. */
export interface PageKey {
  limit: number;
  after: string | null;
}

/**
 * A loader of pages of many parents' items (an auditorium's events, a region's villages): one
 * statement per distinct page — size, cursor and whatever else `shape` tells apart — for all
 * parents asking for it, whatever their count. `rows` runs it for a group of keys that share
 * their page (read it from `group[0]`) and answers each item with its parent's key, in page
 * order, up to `limit + 1` a parent (the extra one tells whether a page follows). A parent asked
 * with two pages in one batch gets each page's own items; one with no items gets `[]`.
 */
export function pageLoader<K extends PageKey, V>(spec: {
  parent: (key: K) => string;
  rows: (group: K[]) => Promise<(readonly [parent: string, item: V])[]>;
  shape?: (key: K) => string;
}): DataLoader<K, V[], string> {
  const pageOf = (k: K) => `${k.limit}|${k.after ?? ''}|${spec.shape?.(k) ?? ''}`;
  return new DataLoader<K, V[], string>(
    async (keys) => {
      const pages = new Map<string, V[]>();
      for (const group of groupKeys(keys, pageOf)) {
        const page = pageOf(group[0]);
        for (const [parent, item] of await spec.rows(group)) {
          const items = pages.get(`${parent}|${page}`);
          if (items) items.push(item);
          else pages.set(`${parent}|${page}`, [item]);
        }
      }
      return keys.map((k) => pages.get(`${spec.parent(k)}|${pageOf(k)}`) ?? []);
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
}

/** SQLite allows at most 500 terms in a compound SELECT. */
const PARENTS_A_STATEMENT = 200;

/**
 * The first `limit` rows of each parent in `orderBy` order, read from an index on (parent,
 * `orderBy`): one limited subquery a parent (`page`), UNION ALL of 200 at most a statement. A
 * window numbering every row of every parent asked for reads all of them (all 620,573 villages
 * for a page of each province, ~35,000 auditoriums a digital resource).
 */
export async function firstRowsOfEach<Row>(
  knex: Knex,
  parents: readonly string[],
  page: (parent: string) => Knex.QueryBuilder,
  orderBy: string,
  limit: number,
  run: (statement: Knex.QueryBuilder) => Promise<Row[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < parents.length; i += PARENTS_A_STATEMENT) {
    const [first, ...rest] = parents
      .slice(i, i + PARENTS_A_STATEMENT)
      .map((parent) => knex.select('*').from(page(parent).orderBy(orderBy).limit(limit).as('p')));
    rows.push(...(await run(rest.length ? first.unionAll(rest) : first)));
  }
  return rows;
}
