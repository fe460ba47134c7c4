import type { Knex } from '@mikro-orm/knex';

/** Same limits as the shared bulkUpsert (SQLite bound variables and compound-select terms). */
const MAX_VARIABLES = 30_000;
const MAX_ROWS = 500;

/**
 * Batched multi-row upsert inside the caller's transaction (the shared bulkUpsert opens its
 * own), so deleting a scope's stale rows, loading and rebuilding rollups commit together.
 */
export async function upsertIn(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const batch = Math.max(
    1,
    Math.min(MAX_ROWS, Math.floor(MAX_VARIABLES / Object.keys(rows[0]).length)),
  );
  for (let i = 0; i < rows.length; i += batch) {
    await trx(table)
      .insert(rows.slice(i, i + batch))
      .onConflict(conflictKeys)
      .merge();
  }
  return rows.length;
}

/** Collects rows and writes them in batches as they come, so large scopes stay small in memory. */
export class RowSink {
  private buffer: Record<string, unknown>[] = [];
  written = 0;
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly table: string,
    private readonly conflictKeys: string[],
    private readonly flushAt = 5_000,
  ) {}

  async push(rows: Record<string, unknown>[]): Promise<void> {
    for (const row of rows) this.buffer.push(row);
    if (this.buffer.length >= this.flushAt) await this.flush();
  }

  async flush(): Promise<void> {
    this.written += await upsertIn(this.trx, this.table, this.buffer, this.conflictKeys);
    this.buffer = [];
  }
}
