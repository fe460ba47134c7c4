import type { BaseContext } from '@apollo/server';
import { DEFAULT_CACHE_MAX_AGE, type SubgraphConfig } from './config.js';
import {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  dialectOf,
  openDatabase,
  sameDatabaseFile,
  type EntityManager,
  type Orm,
  type QueryObserver,
} from './database.js';
import { createLogger, type Logger } from './logger.js';
import { HeldScope, heldScopes, LoadedScope, loadedPrefixes } from './loaded-scope.js';
import { DEV_GATEWAY_SHARED_SECRET } from '../../contract/identity.js';
import { createSubgraphMetrics, type SubgraphMetrics } from './metrics.js';
import { createSubgraphServer, type RunningServer } from './server.js';
import type { SubgraphDefinition, SubgraphServices } from './subgraph.js';
import { sqlSpanObserver, startTracing } from './tracing.js';

export interface StartedSubgraph {
  orm: Orm;
  server: RunningServer;
  metrics: SubgraphMetrics;
  close: () => Promise<void>;
}

/** Opens the subgraph's database (migrating it), builds its schema and listens. */
export async function startSubgraph<T extends BaseContext>(
  def: SubgraphDefinition<T>,
  opts: {
    databaseUrl: string;
    databaseReplicaUrls?: string[];
    /** PostgreSQL: longest wait for a pooled connection (DB_ACQUIRE_TIMEOUT_MS). */
    databaseAcquireTimeoutMs?: number;
    /** PostgreSQL: longest wait for a statement's answer, 0 for none (DB_STATEMENT_TIMEOUT_MS). */
    databaseStatementTimeoutMs?: number;
    port: number;
    host?: string;
    logger: Logger;
    migrate?: boolean;
    onQuery?: (sql: string) => void;
    /** Key of the gateway's signed identity header; the development one by default. */
    gatewaySharedSecret?: string;
    /** The key before it, accepted too while it is being rotated (GATEWAY_SHARED_SECRET_PREVIOUS). */
    gatewayPreviousSecret?: string;
    /** Answer only requests the gateway signed (server.ts). */
    requireIdentity?: boolean;
    /** Counts SQL statements and GraphQL requests, served at GET /debug/sql-count (benchmarks). */
    statementCounter?: boolean;
    /** Cache hint of read fields without one; the subgraph's default (config.ts) when unset. */
    cacheMaxAge?: number;
    /** Largest request body; subgraphBodyLimit() of the gateway's default when unset. */
    maxBodyBytes?: number;
    /** URLs of the other subgraphs it reads (places: the domains' change outboxes). */
    peers?: Partial<Record<string, string>>;
  },
): Promise<StartedSubgraph> {
  const counts = opts.statementCounter ? { statements: 0, requests: 0 } : undefined;
  const metrics = createSubgraphMetrics(def.name);
  const services: SubgraphServices = {
    peers: opts.peers ?? {},
    sharedSecret: opts.gatewaySharedSecret ?? DEV_GATEWAY_SHARED_SECRET,
    previousSecret: opts.gatewayPreviousSecret,
  };
  const orm = await openDatabase({
    url: opts.databaseUrl,
    replicaUrls: opts.databaseReplicaUrls,
    acquireTimeoutMs: opts.databaseAcquireTimeoutMs,
    statementTimeoutMs: opts.databaseStatementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    log: (level, message) => opts.logger[level]({ driver: message }, 'database driver'),
    entities: def.entities,
    migrations: def.migrations,
    migrate: opts.migrate,
    onQuery: counts
      ? (sql) => {
          counts.statements++;
          opts.onQuery?.(sql);
        }
      : opts.onQuery,
    observeQuery: observeSql(metrics, dialectOf(opts.databaseUrl)),
  });
  metrics.watchPool(orm);
  try {
    // A domain answers only for the places its loaded scopes cover (loaded-scope.ts).
    if (def.entities.includes(LoadedScope)) {
      const held = new HeldScope(() => loadedPrefixes((orm.em.fork() as EntityManager).getKnex()));
      await held.refresh();
      heldScopes.set(orm, held);
      services.heldScope = held;
    }
    const sameFile = sameDatabaseFile(opts.databaseUrl);
    const readiness =
      dialectOf(opts.databaseUrl) === 'sqlite' ? 'select count(*) from sqlite_master' : 'select 1';
    const schema = await def.buildSchema();
    const http = createSubgraphServer<T>({
      name: def.name,
      schema,
      logger: opts.logger,
      metrics,
      createContext: (req) => {
        if (counts) counts.requests++;
        return def.createContext(orm.em.fork() as EntityManager, opts.logger, req, services);
      },
      debugRoutes: counts ? { '/debug/sql-count': () => ({ ...counts }) } : undefined,
      gatewaySharedSecret: opts.gatewaySharedSecret ?? DEV_GATEWAY_SHARED_SECRET,
      gatewayPreviousSecret: opts.gatewayPreviousSecret,
      requireIdentity: opts.requireIdentity,
      maxBodyBytes: opts.maxBodyBytes,
      cacheMaxAge:
        opts.cacheMaxAge ?? DEFAULT_CACHE_MAX_AGE[def.name as keyof typeof DEFAULT_CACHE_MAX_AGE],
      ready: async () => {
        // On SQLite a read of the schema: `select 1` needs no page, and answered on a full disk.
        await (orm.em.fork() as EntityManager).getConnection().execute(readiness);
        sameFile();
      },
    });
    const server = await http.listen(opts.port, opts.host);
    return {
      orm,
      server,
      metrics,
      close: async () => {
        await server.close();
        await orm.close();
      },
    };
  } catch (err) {
    await orm.close();
    throw err;
  }
}

/** Entry point of a subgraph process: start, then stop cleanly on SIGTERM/SIGINT. */
export async function runSubgraph<T extends BaseContext>(
  def: SubgraphDefinition<T>,
  config: SubgraphConfig,
): Promise<void> {
  const logger = createLogger({
    name: def.name,
    level: config.logLevel,
    pretty: config.prettyLogs,
  });
  const tracing = startTracing(config.tracing);
  const started = await startSubgraph(def, {
    databaseUrl: config.databaseUrl,
    databaseReplicaUrls: config.databaseReplicaUrls,
    databaseAcquireTimeoutMs: config.databaseAcquireTimeoutMs,
    databaseStatementTimeoutMs: config.databaseStatementTimeoutMs,
    port: config.port,
    host: config.host,
    logger,
    migrate: config.migrate,
    gatewaySharedSecret: config.gatewaySharedSecret,
    gatewayPreviousSecret: config.gatewayPreviousSecret,
    requireIdentity: config.requireIdentity,
    statementCounter: config.sqlStatementCounter,
    cacheMaxAge: config.cacheMaxAge,
    maxBodyBytes: config.maxBodyBytes,
    peers: config.peers,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Bounded: a database that hangs must not hold the process (its requests are cut at 10 s).
    setTimeout(() => {
      logger.warn('did not stop within 15 s; exiting');
      process.exit(1);
    }, 15_000).unref();
    await started.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Times each SQL statement for the metrics and traces it as a span of the current request. */
function observeSql(metrics: SubgraphMetrics, system: string): QueryObserver {
  const span = sqlSpanObserver(system);
  return (sql) => {
    const started = process.hrtime.bigint();
    const endSpan = span(sql);
    return (error) => {
      metrics.observeSql(sql, Number(process.hrtime.bigint() - started) / 1e9, error !== undefined);
      endSpan(error);
    };
  };
}
