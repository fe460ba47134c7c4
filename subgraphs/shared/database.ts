import { MikroORM, type MigrationObject, type Options } from '@mikro-orm/core';
import type { AbstractSqlConnection, AbstractSqlDriver } from '@mikro-orm/knex';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { collateTextByCodePoint } from './collation.js';
import { boundStatements, type StatementBound } from './statement-timeout.js';
import {
  bindStringParameters,
  reusePreparedStatements,
  rollBackOnRelease,
} from './sqlite-statements.js';

/** The two engines a subgraph runs on: SQLite (embedded default) and PostgreSQL (production). */
export type DatabaseDialect = 'sqlite' | 'postgresql';

export type Orm = MikroORM;
export type EntityManager = SqlEntityManager;

/** Per-driver migration lists; a subgraph's `migrations/index.ts` exports one of these. */
export interface MigrationSets {
  sqlite: MigrationObject[];
  postgresql: MigrationObject[];
}

export interface DatabaseOptions {
  /** `sqlite:<file>` (or `sqlite::memory:`) or `postgres://…` / `postgresql://…`. */
  url: string;
  // MikroORM takes entity classes of any shape.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  migrations: MigrationSets;
  /** Called with every SQL statement the ORM sends (statement counters, metrics). */
  onQuery?: (sql: string) => void;
  /**
   * Called when a statement is sent; the returned function is called when its result (or error)
   * arrives. Metrics and trace spans of SQL statements hang on this.
   */
  observeQuery?: QueryObserver;
  /** PostgreSQL read replicas: reads outside transactions go to one of them. */
  replicaUrls?: string[];
  poolMax?: number;
  /** Where the driver's own warnings go (knex wrote them to stdout with console.log). */
  log?: (level: 'warn' | 'error', message: string) => void;
  /** PostgreSQL: how long a statement waits for a pooled connection (ms); DB_ACQUIRE_TIMEOUT_MS. */
  acquireTimeoutMs?: number;
  /**
   * PostgreSQL: longest wait for a statement's answer (ms), DB_STATEMENT_TIMEOUT_MS; none when
   * unset (seed and migration scripts). Not applied to the migrations run at opening.
   */
  statementTimeoutMs?: number;
}

type ExecuteQuery = (
  query: string,
  cb: () => Promise<unknown>,
  context?: unknown,
) => Promise<unknown>;

export type QueryObserver = (sql: string) => (error?: unknown) => void;

/**
 * How long a transaction may sit between statements before PostgreSQL ends its session, rolling
 * it back (idle_in_transaction_session_timeout, ms). A write's statements follow one another; a
 * transaction idle this long belongs to a process that stopped (SIGSTOP, a frozen VM, a network
 * cut that leaves the socket open) and that the gateway gave up on (SUBGRAPH_TIMEOUT_MS, 10 s).
 * Without it, such a process held its locks for as long as it was stopped: the row it wrote and
 * the outbox lock every write of its domain takes, so every replica's writes to the domain failed
 * after their lock timeout, for hours.
 */
export const IDLE_IN_TRANSACTION_MS = 15_000;

/** How long a PostgreSQL statement waits for a lock before it fails (lock_timeout, ms). */
export const LOCK_TIMEOUT_MS = 5_000;

/**
 * How long a statement waits for a pooled PostgreSQL connection, and a new connection for the
 * server's answer, by default (ms). knex's own default, 60 s, outlasted the gateway's
 * SUBGRAPH_TIMEOUT_MS (10 s) six times: with the database hung, the pool's connections stayed
 * taken and every later request queued a minute for nothing, then failed unmasked.
 */
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 5_000;

/**
 * How long a subgraph waits for a statement's answer by default (ms; statement-timeout.ts):
 * above the gateway's SUBGRAPH_TIMEOUT_MS (10 s), past which no answer reaches a client anyway,
 * so no statement the gateway still waits for is cut; a connection a hung server holds is freed
 * after it. Seeds and migrations run without it.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

/** The statement bound of each ORM's pools (0 until openDatabase has migrated). */
const statementBounds = new WeakMap<Options, StatementBound>();

/**
 * SQLite: how long one statement waits for a lock another process holds (busy_timeout, ms).
 * better-sqlite3 waits synchronously: with its default, 5 s, each write queued behind a
 * process holding the write lock stopped the subgraph's event loop 5 s, its /healthz and its
 * reads (which WAL lets through) with it. A write transaction instead tries again, pausing
 * between tries, for up to SQLITE_LOCK_WAIT_MS (transaction.ts).
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10;
export const SQLITE_LOCK_WAIT_MS = 5_000;

interface PgClient {
  query(...args: unknown[]): unknown;
}

export function dialectOf(url: string): DatabaseDialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  throw new Error(`Unsupported database URL "${url}": use sqlite:<file> or postgresql://…`);
}

export function ormOptions(opts: DatabaseOptions): Options {
  const dialect = dialectOf(opts.url);
  // knex's warnings ("Connection Error: …" for each pooled connection a restart or failover
  // ended) were plain lines on stdout, outside the JSON log.
  const log = opts.log ?? (() => undefined);
  const knexLog = {
    warn: (m: unknown) => log('warn', String(m)),
    error: (m: unknown) => log('error', String(m)),
    deprecate: (m: unknown) => log('warn', String(m)),
    debug: () => undefined,
  };
  const common: Options = {
    entities: opts.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      migrationsList: opts.migrations[dialect],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
  if (dialect === 'sqlite') {
    const file = opts.url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return { ...common, driver: BetterSqliteDriver, dbName: file, driverOptions: { log: knexLog } };
  }
  const acquireTimeoutMs = opts.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  const bound: StatementBound = { ms: 0 };
  const options: Options = {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: opts.url,
    // A new connection to a server that accepts the socket but never answers (hung, frozen)
    // is given up on too: pg waits for ever by default, and each try kept a socket open.
    driverOptions: {
      log: knexLog,
      acquireConnectionTimeout: acquireTimeoutMs,
      connection: { connectionTimeoutMillis: acquireTimeoutMs },
    },
    pool: {
      min: 0,
      max: opts.poolMax ?? 10,
      // Every connection waits at most LOCK_TIMEOUT_MS for a lock (a row another write holds, a
      // province's advisory lock): PostgreSQL would wait for ever, and the writes queued behind
      // one held lock took every connection of the pool, so reads waited too. A write refused
      // so rolls back (writeBusy in errors.ts tells the client to retry); bulk loads lift it.
      afterCreate: (conn: PgClient, done: (err: Error | null, conn: PgClient) => void) => {
        boundStatements(conn, bound);
        conn.query(
          `set lock_timeout = ${LOCK_TIMEOUT_MS}; ` +
            `set idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`,
          (err: Error | null) => done(err, conn),
        );
      },
      // A new connection, its settings included, is given up on as its first answer is.
      createTimeoutMillis: acquireTimeoutMs,
    },
    // MikroORM sends reads outside transactions to a replica, writes and transactions to the
    // primary; each replica gets a pool of the same size.
    replicas: (opts.replicaUrls ?? []).map((clientUrl, i) => ({
      name: `replica-${i + 1}`,
      clientUrl,
    })),
  };
  statementBounds.set(options, bound);
  return options;
}

/** The primary connection and each read replica's, with a label for metrics. */
export function connectionsOf(orm: Orm): { role: string; connection: AbstractSqlConnection }[] {
  const driver = orm.em.getDriver() as AbstractSqlDriver;
  return [
    { role: 'primary', connection: driver.getConnection('write') },
    ...replicasOf(orm.em).map((connection, i) => ({ role: `replica-${i + 1}`, connection })),
  ];
}

/** The read replicas' connections of an EntityManager's driver (none without replicas). */
export function replicasOf(em: { getDriver(): unknown }): AbstractSqlConnection[] {
  return (em.getDriver() as { replicas?: AbstractSqlConnection[] }).replicas ?? [];
}

/** Wraps each connection's statement execution so `observe` sees its start and its end. */
function observeConnections(orm: Orm, observe: QueryObserver): void {
  for (const { connection } of connectionsOf(orm)) {
    // executeQuery is where MikroORM times every statement it sends (protected in its types).
    const target = connection as unknown as { executeQuery: ExecuteQuery };
    const execute = target.executeQuery.bind(connection);
    target.executeQuery = async (query, cb, context) => {
      const done = observe(query);
      try {
        const result = await execute(query, cb, context);
        done();
        return result;
      } catch (err) {
        done(err);
        throw err;
      }
    };
  }
}

/** Opens the database and brings its schema up to date with the subgraph's migrations. */
export async function openDatabase(opts: DatabaseOptions & { migrate?: boolean }): Promise<Orm> {
  if (opts.replicaUrls?.length && dialectOf(opts.url) !== 'postgresql') {
    throw new Error('Read replicas need a postgresql:// primary.');
  }
  const options = ormOptions(opts);
  const orm = await MikroORM.init(options);
  // Counted at the knex level so that statements a loader sends through knex directly count too.
  if (opts.onQuery) {
    const onQuery = opts.onQuery;
    (orm.em as EntityManager).getKnex().on('query', (q: { sql: string }) => onQuery(q.sql));
  }
  if (opts.observeQuery) observeConnections(orm, opts.observeQuery);
  if (dialectOf(opts.url) === 'sqlite') {
    const connections = connectionsOf(orm).map((c) => c.connection);
    await reusePreparedStatements(connections);
    bindStringParameters(connections);
    rollBackOnRelease(connections);
    // WAL lets readers proceed while the seeder writes; NORMAL sync is safe with WAL.
    const knex = (orm.em as EntityManager).getKnex();
    await knex.raw('pragma journal_mode = wal');
    await knex.raw('pragma synchronous = normal');
    await knex.raw(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
  if (opts.migrate !== false) {
    await orm.getMigrator().up();
    // Text compares by code point as on SQLite, whatever collation the database was made with.
    if (dialectOf(opts.url) === 'postgresql') {
      await collateTextByCodePoint((orm.em as EntityManager).getKnex());
    }
  }
  boundStatementsFrom(options, opts.statementTimeoutMs);
  return orm;
}

/** Turns the statement bound on once the schema is up to date (statement-timeout.ts). */
function boundStatementsFrom(options: Options, ms: number | undefined) {
  const bound = statementBounds.get(options);
  if (bound && ms) bound.ms = ms;
}

/**
 * For /readyz: a check that throws once the SQLite file the ORM has open is no longer at its
 * path (deleted, or replaced by another file). SQLite goes on reading and writing the open
 * file, deleted or not, and answered `select 1` as ever; what was written after the delete was
 * lost at the next start, which began on an empty database. No check for PostgreSQL or memory.
 */
export function sameDatabaseFile(url: string): () => void {
  const file = dialectOf(url) === 'sqlite' ? url.slice('sqlite:'.length) : ':memory:';
  if (file === ':memory:') return () => undefined;
  const opened = statSync(file);
  return () => {
    const now = statSync(file, { throwIfNoEntry: false });
    if (now?.ino !== opened.ino || now.dev !== opened.dev) {
      throw new Error('the database file was deleted or replaced since it was opened');
    }
  };
}
