import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { connectionsOf, type Orm } from './database.js';

/** Seconds; GraphQL requests to a subgraph are usually a few milliseconds to a second. */
const REQUEST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds; one SQL statement on an indexed table is well under a millisecond on SQLite. */
const SQL_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

/** Operation names are chosen by clients: past this many distinct names, the rest share one. */
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Keeps the `operation` label bounded: anonymous operations, odd names and names past the first
 * MAX_OPERATION_NAMES seen share a label value instead of creating new series.
 */
export function operationLabeller(max = MAX_OPERATION_NAMES) {
  const seen = new Set<string>();
  return (name: string | null | undefined): string => {
    if (!name) return '(anonymous)';
    if (!NAME.test(name)) return '(other)';
    if (seen.has(name)) return name;
    if (seen.size >= max) return '(other)';
    seen.add(name);
    return name;
  };
}

/** `success` without errors, `partial` with data and errors, `error` without data. */
export function outcomeOf(body: { data?: unknown; errors?: readonly unknown[] }): string {
  if (!body.errors?.length) return 'success';
  return body.data ? 'partial' : 'error';
}

/** The first keyword of a statement (`select`, `insert`…), a bounded label. */
export function statementKind(sql: string): string {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback'].includes(
    word,
  )
    ? word
    : 'other';
}

/**
 * The process's own metrics (CPU, memory, handles, event-loop lag, GC), collected once per
 * process and subgraph name: collectDefaultMetrics starts an event-loop-delay monitor and a GC
 * observer that nothing stops, so one per server built would pile up in a process that builds
 * several (a test worker builds hundreds), each reporting the same process-wide figures.
 */
const processRegistries = new Map<string, Registry>();
function processMetrics(subgraph: string): Registry {
  let registry = processRegistries.get(subgraph);
  if (!registry) {
    registry = new Registry();
    registry.setDefaultLabels({ subgraph });
    collectDefaultMetrics({ register: registry });
    processRegistries.set(subgraph, registry);
  }
  return registry;
}

/**
 * One subgraph process's Prometheus metrics, in its own Registry (several servers can run in one
 * process, as the tests do), served at `/metrics` with the process's.
 */
export function createSubgraphMetrics(subgraph: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  const processMetricsRegistry = processMetrics(subgraph);
  const labelOperation = operationLabeller();

  const requests = new Counter({
    name: 'subgraph_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name, type and outcome.',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'subgraph_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation name, type and outcome.',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const sqlStatements = new Counter({
    name: 'subgraph_sql_statements_total',
    help: 'SQL statements sent to the database, by kind and outcome.',
    labelNames: ['statement', 'outcome'],
    registers: [registry],
  });
  const sqlDuration = new Histogram({
    name: 'subgraph_sql_statement_duration_seconds',
    help: 'Time from sending a SQL statement to its result, by kind.',
    labelNames: ['statement'],
    buckets: SQL_BUCKETS,
    registers: [registry],
  });

  let orm: Orm | undefined;
  new Gauge({
    name: 'subgraph_db_pool_connections',
    help: 'Database pool connections by connection (primary, replica-N) and state.',
    labelNames: ['connection', 'state'],
    registers: [registry],
    collect() {
      if (!orm) return;
      for (const { role, connection } of connectionsOf(orm)) {
        // knex's pool (tarn); the SQLite driver has one too, of one connection.
        const pool = (connection.getKnex().client as { pool?: TarnPool }).pool;
        if (!pool) continue;
        this.set({ connection: role, state: 'used' }, pool.numUsed());
        this.set({ connection: role, state: 'free' }, pool.numFree());
        this.set({ connection: role, state: 'pending' }, pool.numPendingAcquires());
      }
    },
  });

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : {};
          const labels = {
            operation: labelOperation(operationName),
            type: operation?.operation ?? 'unknown',
            outcome: outcomeOf(body),
          };
          requests.inc(labels);
          requestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  return {
    registry,
    plugin,
    /** Reads pool sizes from this ORM's connections at each scrape. */
    watchPool(o: Orm) {
      orm = o;
    },
    /** Records one SQL statement; `seconds` from send to result. */
    observeSql(sql: string, seconds: number, failed: boolean) {
      const statement = statementKind(sql);
      sqlStatements.inc({ statement, outcome: failed ? 'error' : 'success' });
      sqlDuration.observe({ statement }, seconds);
    },
    async serve(res: ServerResponse) {
      const text = (await registry.metrics()) + (await processMetricsRegistry.metrics());
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    },
  };
}

export type SubgraphMetrics = ReturnType<typeof createSubgraphMetrics>;

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}
