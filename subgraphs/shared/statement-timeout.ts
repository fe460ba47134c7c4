/**
 * A bound on each PostgreSQL statement's answer (DB_STATEMENT_TIMEOUT_MS), on the server and on
 * the client. Without it a statement sent to a server that then hung (SIGSTOP, a stalled disk,
 * a frozen VM) held its connection for as long as the server stayed hung: after ten such
 * requests every connection of the pool was held, and every later request of the subgraph, for
 * any village, waited out DB_ACQUIRE_TIMEOUT_MS and failed.
 *
 * - The server's `statement_timeout` cancels a statement that runs too long (57014): the
 *   connection stays usable.
 * - The client gives up STATEMENT_GRACE_MS later (the server did not even cancel: it is hung)
 *   and closes the connection's socket, so the pool never hands out a connection that is still
 *   in the middle of a statement (pg's own `query_timeout` leaves it open, with the statement
 *   and everything queued behind it still waiting). A transaction cut off so is never committed:
 *   the server sees the socket closed and rolls it back when it runs again.
 *
 * A transaction that lifts `statement_timeout` for itself (a seed load: `set local
 * statement_timeout = 0`) is not bounded by the client either, until it ends.
 */

/** How much later than the server's statement_timeout the client gives up on an answer (ms). */
export const STATEMENT_GRACE_MS = 1_000;

/** Marks the error the client reports when it gave up on a statement's answer. */
export const STATEMENT_TIMED_OUT = 'STATEMENT_TIMED_OUT';

/** The bound of a pool's statements: 0 (none) while the subgraph migrates, then its setting. */
export interface StatementBound {
  ms: number;
}

type Callback = (err: Error | null, result?: unknown) => void;

interface PgClient {
  query(...args: unknown[]): unknown;
  connection?: { stream?: { destroy(error?: Error): void } };
  /** knex's mark of a connection its pool must not hand out again (its validate checks it). */
  __knex__disposed?: unknown;
}

const LIFTED = /^\s*set\s+local\s+statement_timeout\s*(=|to)\s*'?0'?\s*;?\s*$/i;
const ENDED = /^\s*(commit|rollback)\s*;?\s*$/i;

/** Wraps one pg client's `query` so that each statement's answer is awaited at most the bound. */
export function boundStatements(conn: PgClient, bound: StatementBound): void {
  const query = conn.query.bind(conn);
  let lifted = false;
  /** The connection's statement_timeout on the server (a session setting; 0 when made). */
  let serverMs = 0;
  conn.query = (config: unknown, ...rest: unknown[]) => {
    if (bound.ms !== serverMs) {
      // Sent ahead of the statement (pg sends a connection's statements in order); a failure
      // is the statement's too (the connection is lost).
      serverMs = bound.ms;
      (query(`set statement_timeout = ${serverMs}`) as Promise<unknown>).catch(() => undefined);
    }
    const sql = typeof config === 'string' ? config : (config as { text?: unknown })?.text;
    if (typeof sql === 'string') {
      if (LIFTED.test(sql)) lifted = true;
      else if (ENDED.test(sql)) lifted = false;
    }
    const at = rest.findIndex((a) => typeof a === 'function');
    // Streams (submittables) and promise calls pass through: knex sends statements with a callback.
    if (bound.ms <= 0 || lifted || at < 0) return query(config, ...rest);
    const callback = rest[at] as Callback;
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      // Ends the connection before its request hears of it, so that the pool, which may hand
      // it to a waiting request at once, never gives it out again (knex marks it so on 'end'
      // too, a tick later).
      conn.__knex__disposed = 'the database did not answer a statement in time';
      conn.connection?.stream?.destroy();
      const error = Object.assign(new Error('the database did not answer the statement in time'), {
        code: STATEMENT_TIMED_OUT,
      });
      callback(error);
    }, bound.ms + STATEMENT_GRACE_MS);
    rest[at] = (err: Error | null, result?: unknown) => {
      clearTimeout(timer);
      if (answered) return;
      answered = true;
      callback(err, result);
    };
    try {
      return query(config, ...rest);
    } catch (err) {
      clearTimeout(timer);
      throw err;
    }
  };
}
