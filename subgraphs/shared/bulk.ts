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
 * with the EntityManager of `inTransaction(...)` (transaction.ts), it joins that transaction; otherwise each
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
 * What withDeferredIndexes drops besides the secondary indexes. `keys`: on PostgreSQL also the
 * primary key and unique constraints, added back after the load (an index built once from the
 * rows, about half the cost of maintaining it through a COPY: docs/bench-seed.md). Only for a
 * load that plainly inserts (no ON CONFLICT, which needs the key): a duplicate then fails the
 * load when the key is added back, rolling it back, as it would have failed the insert.
 * SQLite keeps its keys (they are part of the table).
 */
export interface DeferOptions {
  keys?: boolean;
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
  options: DeferOptions = {},
): Promise<T> {
  // Inside a transaction, DDL and the emptiness check go through it (both engines have
  // transactional DDL), so a failed load also restores the indexes.
  const trx = em.getTransactionContext<Knex.Transaction>();
  return deferIndexes(trx ?? em.getKnex(), !!trx, table, load, options);
}

/** withDeferredIndexes on a knex transaction (e.g. a rollup rebuild that empties its table). */
export function withDeferredIndexesIn<T>(
  trx: Knex.Transaction,
  table: string,
  load: () => Promise<T>,
  options: DeferOptions = {},
): Promise<T> {
  return deferIndexes(trx, true, table, load, options);
}

/**
 * The primary key and unique constraints of a PostgreSQL table, as `alter table` restores them;
 * none if another table's foreign key refers to the table (its key cannot be dropped then).
 */
async function keyConstraints(knex: Knex, table: string): Promise<{ name: string; sql: string }[]> {
  const { rows } = (await knex.raw(
    `select c.conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c
     where c.conrelid = to_regclass(?) and c.contype in ('p', 'u')
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = c.conrelid)
     order by c.contype, c.conname`,
    [q(table)],
  )) as { rows: { name: string; def: string }[] };
  return rows.map((r) => ({
    name: r.name,
    sql: `alter table ${q(table)} add constraint ${q(r.name)} ${r.def}`,
  }));
}

async function deferIndexes<T>(
  knex: Knex,
  inTransaction: boolean,
  table: string,
  load: () => Promise<T>,
  options: DeferOptions,
): Promise<T> {
  const existing = await knex(table).first();
  if (existing) return load();
  const sqlite = isSqlite(knex);
  const keys = options.keys && !sqlite ? await keyConstraints(knex, table) : [];
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
  for (const key of keys) await knex.raw(`alter table ${q(table)} drop constraint ${q(key.name)}`);
  const restore = async () => {
    for (const index of [...keys, ...indexes]) await knex.raw(index.sql);
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

/** Characters COPY's text format escapes: a test, and the same class to replace them all. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = new RegExp(COPY_SPECIAL.source, 'g');
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function copyEscape(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : s;
}

/**
 * PostgreSQL COPY text format: tab-separated, `\N` for null, backslash escapes. Numbers need no
 * escaping and most strings have nothing to escape: a national load formats about 200 million
 * values, so those skip the replace.
 */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  switch (typeof v) {
    case 'string':
      return copyEscape(v);
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 't' : 'f';
  }
  if (v instanceof Date) return v.toISOString();
  return copyEscape(String(v));
}

/** COPY lines for `rows`, about 1,000 rows a chunk. */
export function* copyLines(columns: string[], rows: Record<string, unknown>[]): Generator<string> {
  let chunk = '';
  let inChunk = 0;
  for (const row of rows) {
    let line = copyValue(row[columns[0]]);
    for (let i = 1; i < columns.length; i++) line += '\t' + copyValue(row[columns[i]]);
    chunk += line + '\n';
    if (++inChunk === 1000) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk) yield chunk;
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
