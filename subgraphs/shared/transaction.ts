import type { Knex } from '@mikro-orm/knex';
import { isSqlite } from './bulk.js';
import { SQLITE_LOCK_WAIT_MS, type EntityManager } from './database.js';
import { noteCommitError } from './errors.js';

/** Transactions in which a nested call failed: they roll back, whatever the outer work did. */
const failed = new WeakMap<Knex.Transaction, unknown>();
/** The transaction each manager has open through `inTransaction`, while its work runs. */
const opened = new WeakMap<EntityManager, Knex.Transaction>();

/**
 * Runs `work` in one transaction, handing it a fork of `em` bound to the transaction (it keeps
 * `em`'s identity map) and the knex transaction itself: committed if `work` resolves, rolled back
 * if it or the commit throws, the first error kept. Entities persisted or changed through the
 * fork are flushed before the commit, as `em.transactional` does.
 *
 * Why not `em.transactional`: MikroORM runs it, and every flush, inside an AsyncLocalStorage, and
 * one `run` of any AsyncLocalStorage turns on Node's promise hooks for the rest of the process;
 * every promise of every later read then pays for them (bench/notes.md). The writes of this
 * project are statements (knex, the bulk writers), so the unit of work is flushed only when it
 * has something to write, and the transaction is begun and committed on the connection. A call
 * made with the manager of an open transaction runs inside it (no savepoint). A call made, while
 * the work runs, with the manager the transaction was begun from (not the one handed to the
 * work) is refused at once and fails that transaction: it would otherwise wait for SQLite's one
 * connection forever, or commit apart from the outer work on PostgreSQL.
 */
export async function inTransaction<T>(
  em: EntityManager,
  work: (tem: EntityManager, trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (em.getTransactionContext() || !isSqlite(em.getKnex())) return transaction(em, work);
  // SQLite: another process holds the write lock (a seed load, a shell's BEGIN IMMEDIATE).
  // A statement waits for it only SQLITE_BUSY_TIMEOUT_MS, as that wait blocks the event loop;
  // the transaction, rolled back, is tried again after a pause in which other requests run.
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    try {
      return await transaction(em, work);
    } catch (err) {
      if (!lockedBySomeoneElse(err) || Date.now() + pause > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** SQLITE_BUSY (or its extended codes) on the error or what it wraps. */
function lockedBySomeoneElse(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
    e = (e as { originalError?: unknown }).originalError;
  }
  return false;
}

async function transaction<T>(
  em: EntityManager,
  work: (tem: EntityManager, trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  // Called with a manager of an open transaction (nested): the work joins it (no savepoint), its
  // entities are flushed, and if it throws the whole transaction fails, even when the outer
  // work catches the error: one outcome for both.
  const open = em.getTransactionContext<Knex.Transaction>();
  if (open) {
    try {
      const out = await work(em, open);
      if (hasChanges(em)) await em.flush();
      return out;
    } catch (err) {
      if (!failed.has(open)) failed.set(open, err);
      throw err;
    }
  }
  const outer = opened.get(em);
  if (outer) {
    const err = new Error(
      'inTransaction was called, inside the work of a transaction, with the manager that ' +
        'transaction was begun from; pass the manager handed to the work',
    );
    if (!failed.has(outer)) failed.set(outer, err);
    throw err;
  }
  const connection = em.getConnection('write');
  const trx = (await connection.begin()) as Knex.Transaction;
  opened.set(em, trx);
  let tem: EntityManager | undefined;
  try {
    tem = em.fork({ clear: false }) as EntityManager;
    tem.setTransactionContext(trx);
    const out = await work(tem, trx);
    if (hasChanges(tem)) await tem.flush();
    if (failed.has(trx)) throw failed.get(trx); // a nested call failed: nothing is kept
    try {
      await connection.commit(trx);
    } catch (err) {
      noteCommitError(err); // a lost connection here leaves the outcome unknown (errors.ts)
      throw err;
    }
    return out;
  } catch (err) {
    try {
      await connection.rollback(trx);
    } catch {
      // The connection went with the transaction; the error to report is the first one.
    }
    throw err;
  } finally {
    opened.delete(em);
    tem?.resetTransactionContext();
  }
}

/** Whether a flush would write anything: entities, or a collection's links alone. */
function hasChanges(em: EntityManager): boolean {
  const uow = em.getUnitOfWork();
  uow.computeChangeSets();
  return (
    uow.getChangeSets().length > 0 ||
    uow.getCollectionUpdates().length > 0 ||
    uow.getExtraUpdates().size > 0 ||
    uow.getOrphanRemoveStack().size > 0
  );
}

/**
 * Makes the writes that call it with the same keys take turns until their transactions end (a
 * PostgreSQL transaction-scoped advisory lock). SQLite's writes take turns already.
 */
export async function takeTurns(
  trx: Knex.Transaction,
  ...keys: [number] | [number, number]
): Promise<void> {
  if (isSqlite(trx)) return;
  await trx.raw(`select pg_advisory_xact_lock(${keys.map(() => '?').join(', ')})`, keys);
}
