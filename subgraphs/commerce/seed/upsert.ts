import type { Knex } from '@mikro-orm/knex';

/** SQLite allows 32,766 bound variables per statement and 500 compound-select terms. */
const MAX_VARIABLES = 30_000;
const MAX_ROWS = 500;

/**
 * Multi-row upsert inside the caller's transaction. The shared bulk path commits on its own
 * connection, but the seeder must delete a scope's stale synthetic rows, write the new ones and
 * rebuild the rollups all-or-nothing.
 */
export async function upsertRows(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]).length;
  const batch = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_VARIABLES / columns)));
  for (let i = 0; i < rows.length; i += batch) {
    await trx(table)
      .insert(rows.slice(i, i + batch))
      .onConflict(conflictKeys)
      .merge();
  }
  return rows.length;
}
