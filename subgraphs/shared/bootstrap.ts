import type { BaseContext } from '@apollo/server';
import type { SubgraphConfig } from './config.js';
import { openDatabase, type EntityManager, type Orm } from './database.js';
import { createLogger, type Logger } from './logger.js';
import { createSubgraphServer, type RunningServer } from './server.js';
import type { SubgraphDefinition } from './subgraph.js';

export interface StartedSubgraph {
  orm: Orm;
  server: RunningServer;
  close: () => Promise<void>;
}

/** Opens the subgraph's database (migrating it), builds its schema and listens. */
export async function startSubgraph<T extends BaseContext>(
  def: SubgraphDefinition<T>,
  opts: {
    databaseUrl: string;
    port: number;
    host?: string;
    logger: Logger;
    migrate?: boolean;
    onQuery?: (sql: string) => void;
    /** Counts SQL statements and GraphQL requests, served at GET /debug/sql-count (benchmarks). */
    statementCounter?: boolean;
  },
): Promise<StartedSubgraph> {
  const counts = opts.statementCounter ? { statements: 0, requests: 0 } : undefined;
  const orm = await openDatabase({
    url: opts.databaseUrl,
    entities: def.entities,
    migrations: def.migrations,
    migrate: opts.migrate,
    onQuery: counts
      ? (sql) => {
          counts.statements++;
          opts.onQuery?.(sql);
        }
      : opts.onQuery,
  });
  try {
    const schema = await def.buildSchema();
    const http = createSubgraphServer<T>({
      name: def.name,
      schema,
      logger: opts.logger,
      createContext: (req) => {
        if (counts) counts.requests++;
        return def.createContext(orm.em.fork() as EntityManager, opts.logger, req);
      },
      debugRoutes: counts ? { '/debug/sql-count': () => ({ ...counts }) } : undefined,
      ready: async () => {
        await (orm.em.fork() as EntityManager).getConnection().execute('select 1');
      },
    });
    const server = await http.listen(opts.port, opts.host);
    return {
      orm,
      server,
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
  const started = await startSubgraph(def, {
    databaseUrl: config.databaseUrl,
    port: config.port,
    host: config.host,
    logger,
    migrate: config.migrate,
    statementCounter: config.sqlStatementCounter,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await started.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
