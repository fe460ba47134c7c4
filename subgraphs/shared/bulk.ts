import type { EntityManager } from './database.js';

/** SQLite allows 32,766 bound variables per statement; stay well below it. */
const MAX_VARIABLES = 30_000;
/** Knex writes SQLite multi-row inserts as a compound SELECT, capped at 500 terms. */
const MAX_ROWS = 500;

/**
 * Multi-row upsert in one transaction: rows already present (by `conflictKeys`) are updated, so
 * a reload leaves the same row count and a reseed replaces synthetic values.
 */
export async function bulkUpsert(
  em: EntityManager,
  table: string,
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]).length;
  const batch = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_VARIABLES / columns)));
  const knex = em.getKnex();
  await knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += batch) {
      await trx(table)
        .insert(rows.slice(i, i + batch))
        .onConflict(conflictKeys)
        .merge();
    }
  });
  return rows.length;
}
