import type { AbstractSqlConnection, AbstractSqlPlatform } from '@mikro-orm/knex';
import { Configuration, Utils } from '@mikro-orm/core';

/**
 * How a subgraph's statements reach SQLite: each prepared once, and with their text the same for
 * every key. Both are patches of MikroORM's SQLite connections (`openDatabase` applies them),
 * each measured: bench/notes.md.
 */

/** The part of a better-sqlite3 connection the statement cache touches. */
interface SqliteConnection {
  prepare: (sql: string) => unknown;
  statementCache?: Map<string, unknown>;
}

/** Distinct SQL texts whose prepared statements each SQLite connection keeps. */
const STATEMENT_CACHE_SIZE = 1_000;

/**
 * knex's better-sqlite3 client prepares every statement again for every query, which was 25–30 %
 * of a subgraph's busy CPU under load (bench/notes.md). Each connection now keeps its prepared
 * statements by SQL text (oldest dropped past STATEMENT_CACHE_SIZE); knex only runs them with
 * `all`/`run`, synchronously, so one statement is never in use twice at once, and SQLite
 * re-prepares a statement by itself after a schema change.
 */
export async function reusePreparedStatements(connections: AbstractSqlConnection[]): Promise<void> {
  const cache = (db: SqliteConnection): SqliteConnection => {
    if (db.statementCache) return db;
    const prepare = db.prepare.bind(db);
    const statements = new Map<string, unknown>();
    db.statementCache = statements;
    db.prepare = (sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE)
          statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    };
    return db;
  };
  for (const connection of connections) {
    const client = connection.getKnex().client as {
      acquireRawConnection: () => Promise<SqliteConnection>;
      acquireConnection: () => Promise<SqliteConnection>;
      releaseConnection: (db: SqliteConnection) => Promise<void>;
    };
    // Connections the pool opens from now on, and the one it may hold already.
    const open = client.acquireRawConnection.bind(client);
    client.acquireRawConnection = async () => cache(await open());
    const db = await client.acquireConnection();
    cache(db);
    await client.releaseConnection(db);
  }
}

/** The most parameters SQLite binds in one statement (SQLITE_MAX_VARIABLE_NUMBER, as built). */
const MAX_BOUND = 32_766;

/**
 * Where the select list of a `select` ends: its `from` outside any parentheses, quoted names and
 * strings (or the end of a select without one).
 */
function selectListEnd(sql: string): number {
  let depth = 0;
  for (const m of sql.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|[()]|\bfrom\b/gi)) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')') depth--;
    else if (depth === 0 && /^from$/i.test(m[0])) return m.index;
  }
  return sql.length;
}

/** A statement whose string parameters are bound: its text, and those strings in order. */
export interface BoundStatement {
  sql: string;
  bindings: string[];
}

/**
 * The statement MikroORM would run for `sql` and `params`, with the string parameters left as
 * `?` and bound, and the numbers and nulls written into the text by MikroORM's own quoting (as it
 * writes them). `undefined` when MikroORM's text should run as it is: no string parameter, a
 * parameter of another type (a date, a boolean, an object), an identifier (`??`) or an escaped
 * `\?`, as many placeholders as parameters not being the case, more strings than SQLite binds
 * in one statement (a long `in (…)` list: its text changes with its length anyway), a statement
 * that is not a `select`, `insert`, `update` or `delete` (SQLite refuses parameters in DDL and
 * pragmas), a placeholder in a select list (an unaliased expression is named by its text, so
 * `select ?` would answer a column named `?`), or a `returning` clause (likewise).
 *
 * To SQLite a bound text and a quoted literal are the same value (neither has a column affinity),
 * so the statement answers the same. The numbers stay in the text because better-sqlite3 binds a
 * number as a REAL, where the literal `2` is an INTEGER (`7 / 2` is 3, `7 / 2.0` is 3.5).
 */
export function bindStrings(
  sql: string,
  params: readonly unknown[],
  platform: Pick<AbstractSqlPlatform, 'quoteValue'>,
): BoundStatement | undefined {
  if (!params.some((p) => typeof p === 'string')) return undefined;
  const verb = /^\s*(select|insert|update|delete)\b/i.exec(sql)?.[1].toLowerCase();
  if (!verb || /\breturning\b/i.test(sql)) return undefined;
  const listEnd = verb === 'select' ? selectListEnd(sql) : 0;
  const bindings: string[] = [];
  let out = '';
  let from = 0;
  let i = 0;
  for (const m of sql.matchAll(/\\\?|\?\??/g)) {
    if (m[0] !== '?' || m.index < listEnd) return undefined;
    const value = params[i++];
    out += sql.slice(from, m.index);
    from = m.index + 1;
    if (typeof value === 'string') {
      out += '?';
      bindings.push(value);
    } else if (value === null || (typeof value === 'number' && Number.isFinite(value))) {
      out += platform.quoteValue(value) as string;
    } else return undefined;
  }
  if (i !== params.length || bindings.length > MAX_BOUND) return undefined;
  return { sql: out + sql.slice(from), bindings };
}

type Execute = AbstractSqlConnection['execute'];

/** The protected members of MikroORM's connection that `execute` itself uses. */
interface ConnectionInternals {
  execute: Execute;
  executeQuery: (sql: string, cb: () => Promise<unknown>, context?: object) => Promise<unknown>;
  transformRawResult: (res: unknown, method: 'all' | 'get' | 'run') => unknown;
  ensureConnection: () => Promise<void>;
  config: Configuration;
  getSql: (query: string, formatted: string, context?: object) => string;
}

/**
 * MikroORM writes every parameter into the SQL text before it runs a statement (on purpose:
 * mikro-orm/mikro-orm#6827), so every distinct key made a distinct statement: SQLite prepared it
 * again, and the statement cache above filled with texts used once while it dropped those that
 * repeat. On SQLite each connection's `execute` now binds the string parameters
 * ({@link bindStrings}) and otherwise does what MikroORM's does: the same connection, transaction,
 * timing and query log (`executeQuery`, where metrics and trace spans hang) and result shape.
 */
export function bindStringParameters(connections: AbstractSqlConnection[]): void {
  for (const connection of connections) {
    const target = connection as unknown as ConnectionInternals;
    const execute = target.execute.bind(connection);
    const platform = connection.getPlatform();
    target.execute = (async (queryOrKnex, params = [], method = 'all', ctx, loggerContext) => {
      let sql = queryOrKnex;
      let values: readonly unknown[] = params;
      if (Utils.isObject<{ toSQL(): { sql: string; bindings?: unknown[] } }>(queryOrKnex)) {
        const q = queryOrKnex.toSQL();
        ctx ??= (queryOrKnex as { client: { transacting?: boolean } }).client.transacting
          ? queryOrKnex
          : undefined;
        sql = q.sql;
        values = q.bindings ?? [];
      }
      // A configured onQuery hook (MikroORM's rewrite of every statement) gets MikroORM's path.
      const bound =
        target.config.get('onQuery') === Configuration.DEFAULTS.onQuery
          ? bindStrings(sql as string, values, platform)
          : undefined;
      if (!bound) return execute(sql, values as unknown[], method, ctx, loggerContext);
      const text = sql as string;
      await target.ensureConnection();
      // What MikroORM's query log shows (the values written in, when it logs parameters).
      const logged = target.config.getLogger().isEnabled('query', loggerContext)
        ? target.getSql(text, platform.formatQuery(text, values as unknown[]), loggerContext)
        : text;
      return target.executeQuery(
        logged,
        async () => {
          const query = connection.getKnex().raw(bound.sql, bound.bindings);
          if (ctx) query.transacting(ctx);
          return target.transformRawResult(await query, method);
        },
        { query: text, params: values, ...loggerContext },
      );
    }) as Execute;
  }
}

/**
 * A connection goes back to the pool out of any transaction. knex releases a SQLite connection
 * when a transaction's COMMIT fails, and SQLite keeps that transaction open (a deferred foreign
 * key, a busy or full disk): with one connection per database, every later write would then fail
 * "cannot start a transaction within a transaction". The release rolls it back first.
 */
export function rollBackOnRelease(connections: AbstractSqlConnection[]): void {
  for (const connection of connections) {
    const client = connection.getKnex().client as {
      releaseConnection: (db: { inTransaction: boolean; exec(sql: string): unknown }) => unknown;
    };
    const release = client.releaseConnection.bind(client);
    client.releaseConnection = (db) => {
      if (db.inTransaction) db.exec('ROLLBACK');
      return release(db);
    };
  }
}
