import type { Knex } from 'knex';
import { conflictClause, q } from './bulk-statements.js';

/**
 * The SQLite side of the seeders' bulk writes (subgraphs/shared/bulk.ts): multi-row insert
 * statements on MikroORM's own better-sqlite3 connection.
 */

interface SqliteStatement {
  run(...values: unknown[]): unknown;
}

interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction<T extends unknown[]>(fn: (...args: T) => void): (...args: T) => void;
}

/** The better-sqlite3 handle under MikroORM's knex (SQLite keeps a single connection). */
export async function sqliteHandle(knex: Knex): Promise<SqliteDatabase> {
  const conn = (await knex.client.acquireConnection()) as SqliteDatabase;
  await knex.client.releaseConnection(conn);
  return conn;
}

function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return v ?? null;
}

/**
 * Bound parameters per SQLite statement: 999 is the smallest limit any SQLite build has
 * (SQLITE_MAX_VARIABLE_NUMBER before 3.32), so a statement of several rows never exceeds it.
 */
const SQLITE_MAX_PARAMETERS = 999;
/** Rows per statement: past ~50, one more row per statement no longer pays (docs/bench-seed.md). */
const SQLITE_ROWS_PER_STATEMENT = 64;

/**
 * The columns whose value is the same in every row of `chunk` (`===`, as given): a
 * statement binds each of them once, as a named parameter every row refers to, instead of once
 * per row. Seeded rows repeat their provenance in every row; binding a parameter is most of what
 * a row costs beyond SQLite's own work (docs/bench-seed.md).
 */
function sameInEveryRow(columns: string[], chunk: Record<string, unknown>[]): boolean[] {
  const first = chunk[0];
  return columns.map((c) => {
    // The values as given: equal ones convert alike (two equal Dates are not shared, which only
    // costs a parameter each).
    const v = first[c];
    for (let i = 1; i < chunk.length; i++) if (chunk[i][c] !== v) return false;
    return true;
  });
}

/**
 * Writes rows with multi-row statements (`insert … values (…), (…), …`), which cost half as
 * much per row as one statement per row; rows go in their order, so an upsert of a key twice
 * keeps the last row, as one statement per row would. A value shared by every row of a
 * statement is bound once (`sameInEveryRow`); the statements are prepared once per call and
 * shape (rows, shared columns).
 */
export function sqliteUpsert(
  db: SqliteDatabase,
  table: string,
  columns: string[],
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): void {
  const perStatement = Math.max(
    1,
    Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(SQLITE_MAX_PARAMETERS / columns.length)),
  );
  const head = `insert into ${q(table)} (${columns.map(q).join(', ')}) values `;
  const tail = conflictClause(columns, conflictKeys);
  const prepared = new Map<string, SqliteStatement>();
  const statement = (n: number, shared: boolean[]): SqliteStatement => {
    const key = `${n}:${shared.map(Number).join('')}`;
    let stmt = prepared.get(key);
    if (!stmt) {
      // Named parameters are `@c<column index>`: never a column name in the SQL text.
      const tuple = `(${columns.map((_, i) => (shared[i] ? `@c${i}` : '?')).join(', ')})`;
      stmt = db.prepare(head + Array(n).fill(tuple).join(', ') + tail);
      prepared.set(key, stmt);
    }
    return stmt;
  };
  db.transaction(() => {
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const shared = chunk.length > 1 ? sameInEveryRow(columns, chunk) : columns.map(() => false);
      const values: unknown[] = [];
      const named: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++)
        if (shared[i]) named[`c${i}`] = sqliteValue(chunk[0][columns[i]]);
      for (const row of chunk)
        for (let i = 0; i < columns.length; i++)
          if (!shared[i]) values.push(sqliteValue(row[columns[i]]));
      // An array binds the anonymous parameters in order, an object the named ones.
      statement(chunk.length, shared).run(values, named);
    }
  })();
}
