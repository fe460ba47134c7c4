import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from './database.js';
import { conflictClause, q } from './bulk-statements.js';
import { sqliteHandle, sqliteUpsert } from './bulk-sqlite.js';

/**
 * The bulk write path of the seeders: multi-row prepared statements on SQLite (bulk-sqlite.ts),
 * COPY into a temporary table then one INSERT … SELECT on PostgreSQL. Rows already present (by
 * `conflictKeys`) are updated, so a reload leaves the same row count and a reseed replaces
 * synthetic values. Rows use snake_case column names; all rows have the same columns. Called
 * with the EntityManager of `em.transactional(...)`, it joins that transaction; otherwise each
 * call is a transaction of its own. With no `conflictKeys` the rows are plainly inserted (COPY
 * straight into the table on PostgreSQL): for a table known to be empty at the start of a load
 * whose keys are unique, where a duplicate must fail rather than be merged.
 */
export async function bulkUpsert(
  em: EntityManager,
  table: string,
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]);
  const knex = em.getKnex();
  const trx = em.getTransactionContext<Knex.Transaction>();
  // Inside a transaction its own connection is used (better-sqlite3 then nests a savepoint).
  if (isSqlite(knex))
    sqliteUpsert(await sqliteHandle(trx ?? knex), table, columns, rows, conflictKeys);
  else await postgresUpsert(trx ?? knex, !trx, table, columns, rows, conflictKeys);
  return rows.length;
}

/**
 * Collects rows and writes them `batchSize` at a time, so a national load never holds more than
 * one batch in memory.
 */
export class BatchWriter {
  private rows: Record<string, unknown>[] = [];
  written = 0;

  constructor(
    private readonly em: EntityManager,
    private readonly table: string,
    private readonly conflictKeys: string[],
    private readonly batchSize = 10_000,
    private readonly onFlush?: (written: number) => void,
  ) {}

  async push(row: Record<string, unknown>): Promise<void> {
    if (this.add(row)) await this.flush();
  }

  /** Adds a row without writing; true when the batch is full and should be flushed. */
  add(row: Record<string, unknown>): boolean {
    this.rows.push(row);
    return this.rows.length >= this.batchSize;
  }

  /**
   * Adds rows and writes each full batch: one promise for the lot rather than one per row (a
   * national load adds tens of millions of rows, and every promise pays for async tracking).
   */
  async pushAll(rows: Iterable<Record<string, unknown>>): Promise<void> {
    for (const row of rows) if (this.add(row)) await this.flush();
  }

  async flush(): Promise<number> {
    const batch = this.rows;
    this.rows = [];
    this.written += await bulkUpsert(this.em, this.table, batch, this.conflictKeys);
    if (batch.length > 0) this.onFlush?.(this.written);
    return this.written;
  }
}

/**
 * Runs an initial bulk load with the table's secondary indexes dropped and rebuilds them after,
 * which is faster than maintaining them row by row. A table that already has rows keeps its
 * indexes (an incremental load), and so does a load that fails.
 */
export async function withDeferredIndexes<T>(
  em: EntityManager,
  table: string,
  load: () => Promise<T>,
): Promise<T> {
  // Inside a transaction, DDL and the emptiness check go through it (both engines have
  // transactional DDL), so a failed load also restores the indexes.
  const trx = em.getTransactionContext<Knex.Transaction>();
  return deferIndexes(trx ?? em.getKnex(), !!trx, table, load);
}

/** withDeferredIndexes on a knex transaction (e.g. a rollup rebuild that empties its table). */
export function withDeferredIndexesIn<T>(
  trx: Knex.Transaction,
  table: string,
  load: () => Promise<T>,
): Promise<T> {
  return deferIndexes(trx, true, table, load);
}

async function deferIndexes<T>(
  knex: Knex,
  inTransaction: boolean,
  table: string,
  load: () => Promise<T>,
): Promise<T> {
  const existing = await knex(table).first();
  if (existing) return load();
  const sqlite = isSqlite(knex);
  const indexes: { name: string; sql: string }[] = sqlite
    ? await knex.raw(
        "select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null and sql not like 'create unique%'",
        [table],
      )
    : (
        await knex.raw(
          `select i.indexname as name, i.indexdef as sql from pg_indexes i
           join pg_class c on c.relname = i.indexname join pg_index x on x.indexrelid = c.oid
           where i.tablename = ? and i.schemaname = current_schema() and not x.indisprimary and not x.indisunique`,
          [table],
        )
      ).rows;
  for (const index of indexes) await knex.raw(`drop index ${q(index.name)}`);
  const restore = async () => {
    for (const index of indexes) await knex.raw(index.sql);
  };
  let result: T;
  try {
    result = await load();
  } catch (err) {
    // In a transaction the rollback restores the dropped indexes (and PostgreSQL would refuse
    // any statement in the failed transaction, hiding the original error).
    if (!inTransaction) await restore();
    throw err;
  }
  await restore();
  return result;
}

export function isSqlite(knex: Knex): boolean {
  return String(knex.client.config.client).includes('sqlite');
}

/** PostgreSQL COPY text format: tab-separated, `\N` for null, backslash escapes. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  return String(v).replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

function* copyLines(columns: string[], rows: Record<string, unknown>[]): Generator<string> {
  const chunk: string[] = [];
  for (const row of rows) {
    chunk.push(columns.map((c) => copyValue(row[c])).join('\t') + '\n');
    if (chunk.length === 1000) yield chunk.splice(0).join('');
  }
  if (chunk.length) yield chunk.join('');
}

let stagingCount = 0;

async function postgresUpsert(
  knex: Knex,
  ownTransaction: boolean,
  table: string,
  columns: string[],
  rows: Record<string, unknown>[],
  conflictKeys: string[],
): Promise<void> {
  const client = (await knex.client.acquireConnection()) as pg.Client;
  // Unique per call: a caller's transaction may load the same table more than once.
  const staging = `bulk_${table}_${++stagingCount}`;
  const cols = columns.map(q).join(', ');
  const copy = (target: string) =>
    pipeline(
      Readable.from(copyLines(columns, rows)),
      client.query(copyFrom(`copy ${q(target)} (${cols}) from stdin`)),
    );
  try {
    if (ownTransaction) await client.query('begin');
    if (conflictKeys.length === 0) {
      await copy(table);
      if (ownTransaction) await client.query('commit');
      return;
    }
    await client.query(
      `create temp table ${q(staging)} (like ${q(table)} including defaults) on commit drop`,
    );
    await copy(staging);
    await client.query(
      `insert into ${q(table)} (${cols}) select ${cols} from ${q(staging)}` +
        conflictClause(columns, conflictKeys),
    );
    if (ownTransaction) await client.query('commit');
    else await client.query(`drop table ${q(staging)}`);
  } catch (err) {
    if (ownTransaction) await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await knex.client.releaseConnection(client);
  }
}
