import type { Knex } from '@mikro-orm/knex';

/** SQLite allows 32,766 bound variables per statement: stay below it. */
const MAX_VARIABLES = 30_000;
/** PostgreSQL receives one array per column, so a batch is bounded by size, not variables. */
const PG_BATCH = 20_000;

/**
 * Batched multi-row upsert inside the caller's transaction (the shared bulkUpsert opens its
 * own), so deleting a scope's stale rows, loading and rebuilding rollups commit together. The
 * statement is written directly: the query builder's per-row work dominated the load time of
 * a province. SQLite gets one VALUES list per batch; PostgreSQL gets one array per column
 * (`unnest`), which it parses and plans far faster than tens of thousands of parameters.
 */
export async function upsertIn(
  trx: Knex.Transaction,
  table: string,
  rows: Record<string, unknown>[],
  conflictKeys: string[],
  /** PostgreSQL column types that text does not convert to on insert (e.g. `jsonb`). */
  pgCasts: Record<string, string> = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]);
  const updates = columns.filter((c) => !conflictKeys.includes(c));
  const onConflict =
    `on conflict (${conflictKeys.join(', ')}) ` +
    (updates.length
      ? `do update set ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}`
      : 'do nothing');
  const postgres = (trx.client as { dialect?: string }).dialect === 'postgresql';
  const batch = postgres ? PG_BATCH : Math.max(1, Math.floor(MAX_VARIABLES / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    if (postgres) {
      const arrays = columns.map((c) => slice.map((row) => row[c] ?? null));
      const casts = arrays.map((values) => `?::${pgArrayType(values)}`);
      const select = columns.map((c) => (pgCasts[c] ? `${c}::${pgCasts[c]}` : c));
      await trx.raw(
        `insert into ${table} (${columns.join(', ')}) select ${select.join(', ')}
         from unnest(${casts.join(', ')}) as u(${columns.join(', ')}) ${onConflict}`,
        arrays as Knex.RawBinding[],
      );
      continue;
    }
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const values: unknown[] = [];
    for (const row of slice) for (const c of columns) values.push(sqliteValue(row[c]));
    await trx.raw(
      `insert into ${table} (${columns.join(', ')}) values ${slice.map(() => tuple).join(', ')} ${onConflict}`,
      values as Knex.RawBinding[],
    );
  }
  return rows.length;
}

/** The array type of a column from its values; text for all-null columns of text. */
function pgArrayType(values: unknown[]): string {
  const sample = values.find((v) => v !== null);
  if (typeof sample === 'boolean') return 'boolean[]';
  if (typeof sample === 'number') return Number.isInteger(sample) ? 'bigint[]' : 'float8[]';
  return 'text[]';
}

/** better-sqlite3 binds no booleans (SQLite stores them as 0/1) and no undefined. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Collects rows and writes them in batches as they come, so large scopes stay small in memory. */
export class RowSink {
  private buffer: Record<string, unknown>[] = [];
  written = 0;
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly table: string,
    private readonly conflictKeys: string[],
    private readonly pgCasts: Record<string, string> = {},
    private readonly flushAt = 20_000,
  ) {}

  async push(rows: Record<string, unknown>[]): Promise<void> {
    for (const row of rows) this.buffer.push(row);
    if (this.buffer.length >= this.flushAt) await this.flush();
  }

  async flush(): Promise<void> {
    this.written += await upsertIn(
      this.trx,
      this.table,
      this.buffer,
      this.conflictKeys,
      this.pgCasts,
    );
    this.buffer = [];
  }
}
