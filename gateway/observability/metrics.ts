import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; a gateway request spans one or more subgraph fetches. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Operation names are chosen by clients, so labels come from known operations only: the names
 * given at start (trusted documents, CSV downloads) and, up to this many, names run by
 * authenticated callers (anyone's in development). Every other name is `(other)`, so strangers
 * cannot fill the label space.
 */
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** Values of gateway_subgraph_breaker_state. */
export const BREAKER_STATES = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATES;

/** How one subgraph fetch ended. */
export type FetchOutcome = 'success' | 'graphql_error' | 'unavailable';

/** Called when a subgraph fetch starts; the returned function when it ends. */
export type FetchObserver = (subgraph: string) => (outcome: FetchOutcome) => void;

export interface OperationLabels {
  /** Names always labelled (trusted documents, CSV operations). */
  known?: Iterable<string>;
  /** Let anonymous callers' names take free slots too (development). */
  anyCaller?: boolean;
  max?: number;
}

export function operationLabeller(opts: OperationLabels = {}) {
  const known = new Set([...(opts.known ?? [])].filter((n) => NAME.test(n)));
  const seen = new Set<string>();
  const max = opts.max ?? MAX_OPERATION_NAMES;
  return (name: string | null | undefined, authenticated: boolean): string => {
    if (!name) return '(anonymous)';
    if (known.has(name) || seen.has(name)) return name;
    if (!NAME.test(name) || seen.size >= max || !(authenticated || opts.anyCaller)) {
      return '(other)';
    }
    seen.add(name);
    return name;
  };
}

function outcomeOf(body: { data?: unknown; errors?: readonly unknown[] }): string {
  if (!body.errors?.length) return 'success';
  return body.data ? 'partial' : 'error';
}

/**
 * The process's own metrics (CPU, memory, handles, event-loop lag, GC), collected once per
 * process: collectDefaultMetrics starts an event-loop-delay monitor and a GC observer that
 * nothing stops, so one per gateway built would pile up in a process that builds several (a
 * test worker builds hundreds), each reporting the same process-wide figures.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The gateway's Prometheus metrics in a Registry of its own (tests boot several gateways in one
 * process), served with the process's. Other parts of the gateway report through
 * `setBreakerState` and `recordCache`.
 */
export function createGatewayMetrics(subgraphs: string[], labels: OperationLabels = {}) {
  const registry = new Registry();
  const processMetricsRegistry = processMetrics();
  const labelOperation = operationLabeller(labels);
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, labelNames: string[]) =>
    new Histogram({ name, help, labelNames, buckets: BUCKETS, registers: [registry] });

  const requests = counter(
    'gateway_graphql_requests_total',
    'GraphQL requests answered, by operation name, type and outcome.',
    ['operation', 'type', 'outcome'],
  );
  const requestDuration = histogram(
    'gateway_graphql_request_duration_seconds',
    'Time to answer a GraphQL request, by operation name, type and outcome.',
    ['operation', 'type', 'outcome'],
  );
  const fetches = counter(
    'gateway_subgraph_fetches_total',
    'Fetches from subgraphs, by subgraph and outcome (success, graphql_error, unavailable).',
    ['subgraph', 'outcome'],
  );
  const fetchDuration = histogram(
    'gateway_subgraph_fetch_duration_seconds',
    'Time of one fetch from a subgraph, by subgraph and outcome.',
    ['subgraph', 'outcome'],
  );
  const fetchErrors = counter(
    'gateway_subgraph_fetch_errors_total',
    'Subgraph fetches that failed (unavailable) or answered with GraphQL errors.',
    ['subgraph', 'outcome'],
  );
  const breaker = new Gauge({
    name: 'gateway_subgraph_breaker_state',
    help: 'Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open.',
    labelNames: ['subgraph'],
    registers: [registry],
  });
  for (const subgraph of subgraphs) breaker.set({ subgraph }, BREAKER_STATES.closed);
  const plannerFallbacks = counter(
    'gateway_query_planner_fallbacks_total',
    "Operations the Rust query planner could not plan, answered with @apollo/gateway's " +
      'planner; document="new" the first time for a document, "known" after.',
    ['document'],
  );
  const refusedConnections = counter(
    'gateway_connections_refused_total',
    'Client connections closed on arrival: too many in all (MAX_CONNECTIONS) or from one ' +
      'address (MAX_CONNECTIONS_PER_ADDRESS).',
    ['reason'],
  );
  const refusedBodies = counter(
    'gateway_request_bodies_refused_total',
    'Request bodies refused unread (429 BODIES_BUSY): the bodies being read held ' +
      'MAX_BODY_BYTES_IN_FLIGHT already.',
    [],
  );
  const limitedAuthFailures = counter(
    'gateway_auth_failures_limited_total',
    'Requests whose credentials failed from a client address past AUTH_FAILURES_PER_MINUTE ' +
      '(429 AUTHENTICATION_RATE_LIMITED): an address guessing keys, or a client with a bad key.',
    [],
  );
  const cacheHits = counter('gateway_cache_hits_total', 'Cache lookups that hit, by cache.', [
    'cache',
  ]);
  const cacheMisses = counter(
    'gateway_cache_misses_total',
    'Cache lookups that missed, by cache.',
    ['cache'],
  );

  const plugin: ApolloServerPlugin<BaseContext & { identity?: { authenticated: boolean } }> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response, contextValue }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : {};
          const labels = {
            operation: labelOperation(operationName, contextValue.identity?.authenticated === true),
            type: operation?.operation ?? 'unknown',
            outcome: outcomeOf(body),
          };
          requests.inc(labels);
          requestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  /** A request answered without executing it (the response cache): counted like the others. */
  const observeCachedAnswer = (
    operationName: string | undefined,
    type: string,
    seconds: number,
    authenticated = false,
  ) => {
    const labels = {
      operation: labelOperation(operationName, authenticated),
      type,
      outcome: 'success',
    };
    requests.inc(labels);
    requestDuration.observe(labels, seconds);
  };

  const observeFetch: FetchObserver = (subgraph) => {
    const started = process.hrtime.bigint();
    return (outcome) => {
      fetches.inc({ subgraph, outcome });
      fetchDuration.observe({ subgraph, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      if (outcome !== 'success') fetchErrors.inc({ subgraph, outcome });
    };
  };

  return {
    registry,
    /** Apollo Server plugin counting and timing requests. */
    plugin,
    observeFetch,
    observeCachedAnswer,
    /** For the circuit breaker: report a subgraph's breaker state. */
    setBreakerState(subgraph: string, state: BreakerState) {
      breaker.set({ subgraph }, BREAKER_STATES[state]);
    },
    /** For the engine: an operation answered by the fallback query planner (engine.ts). */
    recordPlannerFallback(first: boolean) {
      plannerFallbacks.inc({ document: first ? 'new' : 'known' });
    },
    /** For the listener: a client connection closed on arrival (connections.ts). */
    recordRefusedConnection(reason: 'total' | 'address') {
      refusedConnections.inc({ reason });
    },
    /** For the body reader: a request body refused for want of budget (body-budget.ts). */
    recordRefusedBody() {
      refusedBodies.inc();
    },
    /** For the authenticator: a failing request refused for its address's failures. */
    recordLimitedAuthFailure() {
      limitedAuthFailures.inc();
    },
    /** For the key store: 1 while its source cannot be read and the last keys read answer. */
    watchKeyStore(stale: () => string | undefined) {
      new Gauge({
        name: 'gateway_key_store_stale',
        help:
          'Whether the keys file (KEYS_PATH) cannot be read now and the last keys read ' +
          'answer (1) or the keys are current (0).',
        registers: [registry],
        collect() {
          this.set(stale() === undefined ? 0 : 1);
        },
      });
    },
    /** For any cache in the gateway (responses, query plans, persisted documents…). */
    recordCache(cache: string, hit: boolean) {
      (hit ? cacheHits : cacheMisses).inc({ cache });
    },
    async serve(res: ServerResponse) {
      const text = (await registry.metrics()) + (await processMetricsRegistry.metrics());
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    },
  };
}
