import type { Knex } from 'knex';
import { BatchWriter, isSqlite, withDeferredIndexes } from './bulk.js';
import type { EntityManager, Orm } from './database.js';
import { countVillages, scopePrefix } from './divisions.js';
import { heldScopes, recordLoadedScope } from './loaded-scope.js';
import { inTransaction } from './transaction.js';
import { ProvenanceKind } from './provenance.js';
import type { SeedOptions, SeedResult } from './subgraph.js';

/** Rows per bulk write: large enough to amortise a COPY round trip, small enough for memory. */
export const SEED_BATCH = 20_000;

/** What a domain seeder does at each step of `loadScope`. */
export interface ScopeLoad<Kept> {
  /** Conflict keys of the tables it writes, in the order of the summary. */
  tables: Record<string, string[]>;
  /**
   * Deletes the scope's synthetic rows (a reseed with another seed may pick other villages);
   * what it returns (rows data stewards reported, to keep) goes to `write`.
   */
  clear: (trx: Knex.Transaction, prefix: string) => Promise<Kept>;
  /** Streams the scope's new rows into `out`, calling `tick` once per village-level unit read. */
  write: (out: SeedWriters, kept: Kept, tick: () => void) => Promise<void>;
  /** Rebuilds the rollups the scope touches (after the rows and their indexes). */
  rebuild: (trx: Knex.Transaction) => Promise<void>;
}

/**
 * Loads one scope all-or-nothing, as every domain seeder does: in one transaction it records the
 * scope as loaded (writes refuse villages outside the loaded scopes: places holds no others,
 * docs/data.md), clears, writes through the shared bulk writers (loadTables) and rebuilds, and
 * times each phase (delete, write, indexes, rollups, commit).
 */
export async function loadScope<Kept>(
  orm: Orm,
  opts: SeedOptions,
  steps: ScopeLoad<Kept>,
): Promise<SeedResult> {
  const prefix = scopePrefix(opts.scope);
  const progress = await villageProgress(opts, prefix);
  const clock = new SeedClock();
  const rows = await seedTransaction(orm, async (em, trx) => {
    await recordLoadedScope(trx, opts.scope);
    const kept = await steps.clear(trx, prefix);
    clock.lap('delete');
    const write = (out: SeedWriters) => steps.write(out, kept, progress.tick);
    const written = await loadTables(em, trx, steps.tables, write, clock);
    progress.done();
    await steps.rebuild(trx);
    clock.lap('rollups');
    return written;
  });
  clock.lap('commit');
  // A subgraph serving from this database answers for the new scope from now on.
  await heldScopes.get(orm)?.refresh();
  return { rows, seconds: clock.seconds };
}

/**
 * Runs a domain seeder's load in one transaction: `em` is the transaction's EntityManager (the
 * shared bulk writers join it), `trx` its knex transaction for deletes and rollup rebuilds.
 * Anything thrown rolls the whole load back.
 */
async function seedTransaction<T>(
  orm: Orm,
  load: (em: EntityManager, trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const root = orm.em.fork() as EntityManager;
  const knex = root.getKnex();
  const sqlite = isSqlite(knex);
  // SQLite's default page cache (2 MB) spills a large transaction's dirty pages and reads them
  // back; a bigger cache for the load halves a province's load time. 64 MB loads the national
  // scope as fast as 256 MB did, and lets two loads run side by side in under 1 GB together
  // (docs/bench-seed.md).
  const cache = sqlite ? await pragmaValue(knex, 'cache_size') : null;
  if (sqlite) await knex.raw(`pragma cache_size = ${SQLITE_LOAD_CACHE_KIB}`);
  const journal = sqlite && (await rollbackJournal(knex));
  try {
    return await inTransaction(root, async (em, trx) => {
      if (!sqlite) {
        // For this transaction only: memory for the index rebuilds and the rollups' group-bys.
        await trx.raw(`set local maintenance_work_mem = '256MB'`);
        await trx.raw(`set local work_mem = '64MB'`);
        // A load is one long transaction: it may wait for the locks it needs (database.ts).
        await trx.raw(`set local lock_timeout = 0`);
        await trx.raw(`set local idle_in_transaction_session_timeout = 0`);
        // Nor is any of its statements bounded (statement-timeout.ts).
        await trx.raw(`set local statement_timeout = 0`);
      }
      return load(em, trx);
    });
  } finally {
    if (cache !== null) await knex.raw(`pragma cache_size = ${Number(cache)}`);
    if (journal) {
      await knex.raw('pragma journal_mode = wal');
      await knex.raw('pragma synchronous = normal');
    }
  }
}

/**
 * Switches a SQLite database to a rollback journal for a load, if this is its only connection;
 * true if it did. In WAL mode one large transaction writes every page twice (into the WAL, then
 * the checkpoint copies it into the database); a rollback journal keeps only the pages that
 * held data before, none for a fresh load, and a crash or a kill still rolls the load back.
 * `synchronous = full` while in that mode: it syncs at commit only, and NORMAL is not
 * power-safe with a rollback journal. With a server holding the file open the switch is refused
 * (busy, or the answer stays `wal`) and the load runs in WAL mode as before.
 */
async function rollbackJournal(knex: Knex): Promise<boolean> {
  try {
    const rows = (await knex.raw('pragma journal_mode = truncate')) as { journal_mode: string }[];
    if (rows[0]?.journal_mode !== 'truncate') return false;
  } catch {
    return false;
  }
  await knex.raw('pragma synchronous = full');
  return true;
}

/** SQLite page cache during a load, in KiB (negative: a size rather than a page count). */
const SQLITE_LOAD_CACHE_KIB = -65_536;

async function pragmaValue(knex: Knex, name: string): Promise<unknown> {
  const rows = (await knex.raw(`pragma ${name}`)) as Record<string, unknown>[];
  return rows[0]?.[name] ?? null;
}

/** One BatchWriter per table of a load, created on first use; `written` per table at the end. */
export class SeedWriters {
  private readonly writers = new Map<string, BatchWriter>();

  constructor(
    private readonly em: EntityManager,
    private readonly keys: Record<string, string[]>,
    private readonly batchSize = SEED_BATCH,
  ) {}

  private writer(table: string): BatchWriter {
    let w = this.writers.get(table);
    if (!w) {
      const keys = this.keys[table];
      if (!keys) throw new Error(`no conflict keys for ${table}`);
      w = new BatchWriter(this.em, table, keys, this.batchSize);
      this.writers.set(table, w);
    }
    return w;
  }

  /**
   * Adds one row; a promise only when it filled a batch that is being written (await it before
   * the next push). A load pushes millions of rows, and a promise per row is a cost of its own.
   */
  push(table: string, row: Record<string, unknown>): Promise<void> | undefined {
    const w = this.writer(table);
    return w.add(row) ? w.flush().then(() => undefined) : undefined;
  }

  async pushAll(table: string, rows: Record<string, unknown>[]): Promise<void> {
    await this.writer(table).pushAll(rows);
  }

  /** Writes what is left and returns the rows written per table (every table in `keys`). */
  async finish(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of Object.keys(this.keys)) {
      const w = this.writers.get(table);
      out[table] = w ? await w.flush() : 0;
    }
    return out;
  }
}

/**
 * Writes a load's tables through one SeedWriters. A table that is empty when the load starts
 * (after the caller's delete of stale rows) is filled with plain inserts — COPY straight into
 * it on PostgreSQL — with its secondary indexes dropped and rebuilt after (on PostgreSQL its
 * primary key too); the others get upserts. Call inside `seedTransaction`, before rebuilding
 * rollups (which then have indexes).
 */
async function loadTables(
  em: EntityManager,
  trx: Knex.Transaction,
  keys: Record<string, string[]>,
  load: (out: SeedWriters) => Promise<void>,
  clock?: SeedClock,
): Promise<Record<string, number>> {
  const fresh: string[] = [];
  for (const table of Object.keys(keys)) if (!(await trx(table).first())) fresh.push(table);
  const out = new SeedWriters(
    em,
    Object.fromEntries(Object.entries(keys).map(([t, k]) => [t, fresh.includes(t) ? [] : k])),
  );
  const run = async (tables: string[]): Promise<Record<string, number>> => {
    if (tables.length === 0) {
      await load(out);
      const written = await out.finish();
      clock?.lap('write');
      return written;
    }
    return withDeferredIndexes(em, tables[0], () => run(tables.slice(1)), { keys: true });
  };
  const written = await run(fresh);
  // The planner has no statistics on freshly filled tables yet; the rollups that follow need them.
  if (!isSqlite(trx)) for (const table of fresh) await trx.raw(`analyze "${table}"`);
  clock?.lap('indexes');
  return written;
}

/** Seconds per phase of a load, for the summary and the benchmark. */
export class SeedClock {
  readonly seconds: Record<string, number> = {};
  private last = performance.now();

  lap(phase: string): void {
    const now = performance.now();
    this.seconds[phase] = (this.seconds[phase] ?? 0) + (now - this.last) / 1000;
    this.last = now;
  }
}

/**
 * Progress of a load measured in village-level units of the scope (known in advance, so the
 * printer can tell the time left): call `tick()` once per unit read.
 */
async function villageProgress(
  opts: SeedOptions,
  prefix: string,
  every = 5_000,
): Promise<{ tick: () => void; done: () => void }> {
  if (!opts.progress) return { tick: () => undefined, done: () => undefined };
  const total = await countVillages(prefix);
  let n = 0;
  return {
    tick: () => {
      if (++n % every === 0) opts.progress!('village-level units', n, total);
    },
    done: () => opts.progress!('village-level units', total, total),
  };
}

/**
 * The synthetic rows of `table` in the scope `prefix` (by `column`, a village code by default):
 * what a reseed of the scope replaces. Reported rows (any other provenance) are never touched.
 */
export function syntheticRowsOf(
  trx: Knex.Transaction,
  table: string,
  prefix: string,
  column = 'village_code',
): Knex.QueryBuilder {
  return trx(table)
    .where(column, 'like', `${prefix}%`)
    .andWhere('provenance_kind', ProvenanceKind.SYNTHETIC);
}
