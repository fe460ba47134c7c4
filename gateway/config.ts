import { getHeapStatistics } from 'node:v8';
import { envSchema } from './config-env.js';
import { defaultMaxConnections, type ConnectionLimits } from './connections.js';
import { tracingConfigFrom, type TracingConfig } from './observability/tracing.js';
import type { EngineKind } from './engine/options.js';
import type { ProxyTrust } from './auth/proxy-trust.js';
import type { Quota } from './context.js';
import { DEV_GATEWAY_SHARED_SECRET } from '../contract/identity.js';
import { SUBGRAPH_NAMES, subgraphBodyLimit, type SubgraphName } from '../contract/subgraphs.js';

/**
 * The only reader of process.env for the gateway process. Validates every variable
 * (config-env.ts), gives safe local defaults, and fails fast naming the variable.
 */
export { GATEWAY_ENV_VARS } from './config-env.js';

export interface GatewayConfig {
  port: number;
  host: string | undefined;
  /**
   * The operator listener (/metrics, /readyz with detail), apart from the public port; undefined
   * = none (development: both served on the public port).
   */
  operator: { port: number; host: string } | undefined;
  /**
   * The liveness listener (observability/liveness.ts: `/healthz` from a worker thread, not
   * queued behind GraphQL work), on OPERATOR_HOST; undefined = none (development).
   */
  liveness: { port: number; host: string; stallMs: number } | undefined;
  development: boolean;
  supergraphPath: string;
  watchSupergraph: boolean;
  /** Overrides of the subgraph URLs recorded in the supergraph, by subgraph name. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  keys: { store: 'file' | 'redis'; path: string; reloadMs: number };
  jwt:
    | {
        secret?: string;
        jwksUrl?: string;
        jwksPath?: string;
        issuer: string;
        audience: string;
        /** Longest accepted `exp - iat` (seconds); 0 = no maximum. */
        maxLifetimeS: number;
        /** Seconds of clock difference with the issuer allowed on `exp` and `nbf`. */
        clockToleranceS: number;
      }
    | undefined;
  anonymous: 'read' | 'off';
  sharedSecret: string;
  /** Peers whose X-Forwarded-For is believed (proxy-trust.ts). */
  trustProxy: ProxyTrust;
  redisUrl: string | undefined;
  quota: Quota;
  anonymousQuota: Quota;
  /** Failed credential checks a client address may make a minute (auth/auth-failures.ts). */
  authFailuresPerMinute: number;
  /** Requests of one caller (key, token, anonymous address) answered at once; 0: no bound. */
  maxInFlightPerCaller: number;
  limits: {
    maxBodyBytes: number;
    /** Request-body bytes read at once, all requests together (body-budget.ts). */
    maxBodyBytesInFlight: number;
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    /** Field selections of an operation once its fragments are expanded (counted, not expanded). */
    maxExpandedSelections: number;
    defaultListSize: number;
    maxBatchSize: number;
  };
  trustedDocumentsPath: string | undefined;
  apqCacheSize: number;
  corsOrigins: string[];
  introspection: boolean;
  fieldSuggestions: boolean;
  subgraphTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  shutdownTimeoutMs: number;
  /** How long a new replica's /readyz waits for every subgraph to answer once (upstream/readiness.ts). */
  readinessWaitMs: number;
  /** Client connections held by the GraphQL listener, in all and per peer address (connections.ts). */
  connections: ConnectionLimits;
  /** Share one subgraph fetch between identical concurrent queries of callers with the same scopes. */
  dedupeSubgraphFetches: boolean;
  /** The query planner and executor behind Apollo Server (engine.ts). */
  engine: EngineKind;
  /** Documents whose parse, validation and authorization results are kept. */
  documentCacheSize: number;
  /** Bytes those documents (and the APQ documents) may hold in all. */
  documentCacheBytes: number;
  /** Bytes each subgraph's parsed fetches, and the key echo's rewritten fetches, may hold. */
  fetchCacheBytes: number;
  /** How long the fallback planner may plan one operation (engine.ts). */
  planTimeoutMs: number;
  /** Bytes @apollo/gateway's query plans may hold (plan-store.ts). */
  planCacheBytes: number;
  /** Whole query answers, as the subgraphs' cache hints allow (response-cache.ts). */
  responseCache: { mode: 'off' | 'memory' | 'redis'; maxBytes: number };
  /** Answers at least this long are gzip/br-compressed when the client accepts it; 0 = never. */
  compressionMinBytes: number;
  /** Most pooled keep-alive connections per subgraph. */
  subgraphMaxSockets: number;
  /** Largest subgraph fetch sent: subgraphBodyLimit(MAX_BODY_BYTES). */
  subgraphMaxBodyBytes: number;
  /** Largest subgraph answer read; a longer one is cut and the fetch unavailable. */
  subgraphMaxResponseBytes: number;
  audit: { path: string | undefined; sensitiveTypes: string[] };
  logLevel: string;
  prettyLogs: boolean;
  /** Write each log line at once (true) or in 4 KB chunks, flushed at exit (false). */
  logSync: boolean;
  tracing: TracingConfig;
  /** Serve GraphiQL at GET /graphql to browsers (Accept: text/html). */
  graphiql: boolean;
  /** Largest CSV download (rows) at GET /csv/<operation>. */
  csvMaxRows: number;
  /** Longest a CSV download may take, all its pages together. */
  csvTimeoutMs: number;
  /**
   * POST /exports/villages: villages a page, codes a request, exports at once per caller and in
   * all, and how long a write waits for a client that reads nothing.
   */
  exports: {
    pageSize: number;
    maxCodes: number;
    maxPerCaller: number;
    maxTotal: number;
    sendTimeoutMs: number;
  };
}

function fail(lines: string[]): never {
  throw new Error(`Invalid gateway configuration:\n${lines.join('\n')}`);
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // An empty variable means unset (compose files and .env.example write unset ones as `X=`).
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) {
    fail(parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const development = c.NODE_ENV === 'development' || c.NODE_ENV === 'test';
  // No telemetry or cloud-metadata probes from Apollo libraries, whatever the environment says.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.METADATA_SERVER_DETECTION = 'none';
  const subgraphUrls: GatewayConfig['subgraphUrls'] = {};
  for (const name of SUBGRAPH_NAMES) {
    const url = c[`${name.toUpperCase()}_URL` as 'PLACES_URL'];
    if (url) subgraphUrls[name] = url;
  }
  const jwtEnabled = Boolean(c.JWT_SECRET || c.JWT_JWKS_URL || c.JWT_JWKS_PATH);
  if (jwtEnabled && (!c.JWT_ISSUER || !c.JWT_AUDIENCE)) {
    fail(['  JWT_ISSUER, JWT_AUDIENCE: required when JWT_SECRET or a JWKS is configured']);
  }
  if (!c.GATEWAY_SHARED_SECRET && !development) {
    fail(['  GATEWAY_SHARED_SECRET: required outside development (at least 32 characters)']);
  }
  const keyStore = c.KEY_STORE ?? (c.REDIS_URL ? 'redis' : 'file');
  if (keyStore === 'redis' && !c.REDIS_URL) fail(['  REDIS_URL: required when KEY_STORE=redis']);
  if (c.MAX_BODY_BYTES_IN_FLIGHT < c.MAX_BODY_BYTES) {
    fail(['  MAX_BODY_BYTES_IN_FLIGHT: must be at least MAX_BODY_BYTES']);
  }
  if (c.RESPONSE_CACHE === 'redis' && !c.REDIS_URL) {
    fail(['  REDIS_URL: required when RESPONSE_CACHE=redis']);
  }
  // The in-process caches' bounds must fit the V8 heap (NODE_OPTIONS), else the process dies of
  // its heap before a cache evicts: FETCH_CACHE_MB=1000000 under a 512 MB bound started.
  const memoryResponses = (c.RESPONSE_CACHE ?? (c.REDIS_URL ? 'redis' : 'memory')) === 'memory';
  const cachesMb =
    (SUBGRAPH_NAMES.length + 1) * c.FETCH_CACHE_MB +
    c.DOCUMENT_CACHE_MB +
    (memoryResponses ? c.RESPONSE_CACHE_MAX_MB : 0);
  const heapMb = getHeapStatistics().heap_size_limit / 1024 / 1024;
  if (cachesMb > heapMb / 2) {
    fail([
      `  FETCH_CACHE_MB, DOCUMENT_CACHE_MB, RESPONSE_CACHE_MAX_MB: their caches may hold ` +
        `${Math.ceil(cachesMb)} MB, more than half the heap bound (${Math.floor(heapMb)} MB)`,
    ]);
  }
  return {
    port: c.PORT,
    host: c.HOST,
    // Outside development the operator endpoints have a listener of their own, on loopback
    // unless configured (Apollo Router serves health and metrics apart from GraphQL likewise).
    operator:
      c.OPERATOR_PORT !== undefined
        ? { port: c.OPERATOR_PORT, host: c.OPERATOR_HOST }
        : development
          ? undefined
          : { port: 9090, host: c.OPERATOR_HOST },
    liveness:
      c.LIVENESS_PORT !== undefined || !development
        ? { port: c.LIVENESS_PORT ?? 9091, host: c.OPERATOR_HOST, stallMs: c.LIVENESS_STALL_MS }
        : undefined,
    development,
    supergraphPath: c.SUPERGRAPH_PATH,
    watchSupergraph: c.SUPERGRAPH_WATCH,
    subgraphUrls,
    keys: { store: keyStore, path: c.KEYS_PATH, reloadMs: c.KEYS_RELOAD_MS },
    jwt: jwtEnabled
      ? {
          secret: c.JWT_SECRET,
          jwksUrl: c.JWT_JWKS_URL,
          jwksPath: c.JWT_JWKS_PATH,
          issuer: c.JWT_ISSUER!,
          audience: c.JWT_AUDIENCE!,
          maxLifetimeS: c.JWT_MAX_LIFETIME_S,
          clockToleranceS: c.JWT_CLOCK_TOLERANCE_S,
        }
      : undefined,
    anonymous: c.ANONYMOUS_ACCESS,
    sharedSecret: c.GATEWAY_SHARED_SECRET ?? DEV_GATEWAY_SHARED_SECRET,
    trustProxy: c.TRUST_PROXY,
    redisUrl: c.REDIS_URL,
    quota: { perMinute: c.RATE_LIMIT_PER_MINUTE, perDay: c.DAILY_QUOTA },
    anonymousQuota: {
      perMinute: c.ANONYMOUS_RATE_LIMIT_PER_MINUTE,
      perDay: c.ANONYMOUS_DAILY_QUOTA,
    },
    authFailuresPerMinute: c.AUTH_FAILURES_PER_MINUTE,
    maxInFlightPerCaller: c.MAX_IN_FLIGHT_PER_CALLER,
    limits: {
      maxBodyBytes: c.MAX_BODY_BYTES,
      maxBodyBytesInFlight: c.MAX_BODY_BYTES_IN_FLIGHT,
      maxDepth: c.MAX_DEPTH,
      maxAliases: c.MAX_ALIASES,
      maxDirectives: c.MAX_DIRECTIVES,
      maxTokens: c.MAX_TOKENS,
      maxCost: c.MAX_COST,
      maxExpandedSelections: c.MAX_EXPANDED_SELECTIONS,
      defaultListSize: c.DEFAULT_LIST_SIZE,
      maxBatchSize: c.MAX_BATCH_SIZE,
    },
    trustedDocumentsPath: c.TRUSTED_DOCUMENTS_PATH,
    apqCacheSize: c.APQ_CACHE_SIZE,
    corsOrigins: c.CORS_ORIGINS,
    introspection: c.INTROSPECTION ?? development,
    fieldSuggestions: c.FIELD_SUGGESTIONS ?? development,
    subgraphTimeoutMs: c.SUBGRAPH_TIMEOUT_MS,
    retries: c.SUBGRAPH_RETRIES,
    retryBackoffMs: c.SUBGRAPH_RETRY_BACKOFF_MS,
    breaker: { failureThreshold: c.BREAKER_FAILURE_THRESHOLD, resetMs: c.BREAKER_RESET_MS },
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    readinessWaitMs: c.READINESS_WAIT_MS,
    connections: {
      max: c.MAX_CONNECTIONS ?? defaultMaxConnections(),
      perAddress: c.MAX_CONNECTIONS_PER_ADDRESS,
    },
    dedupeSubgraphFetches: c.SUBGRAPH_DEDUPE,
    engine: c.GATEWAY_ENGINE,
    documentCacheSize: c.DOCUMENT_CACHE_SIZE,
    documentCacheBytes: c.DOCUMENT_CACHE_MB * 1024 * 1024,
    fetchCacheBytes: Math.ceil(c.FETCH_CACHE_MB * 1024 * 1024),
    planTimeoutMs: c.PLAN_TIMEOUT_MS,
    planCacheBytes: Math.ceil(c.PLAN_CACHE_MB * 1024 * 1024),
    compressionMinBytes: c.COMPRESSION_MIN_BYTES,
    responseCache: {
      mode: c.RESPONSE_CACHE ?? (c.REDIS_URL ? 'redis' : 'memory'),
      maxBytes: c.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
    },
    subgraphMaxSockets: c.SUBGRAPH_MAX_SOCKETS,
    subgraphMaxBodyBytes: subgraphBodyLimit(c.MAX_BODY_BYTES),
    subgraphMaxResponseBytes: c.SUBGRAPH_MAX_RESPONSE_MB * 1024 * 1024,
    audit: { path: c.AUDIT_LOG_PATH, sensitiveTypes: c.AUDIT_SENSITIVE_TYPES },
    logLevel: c.LOG_LEVEL,
    prettyLogs:
      c.LOG_FORMAT === 'pretty' || (c.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    logSync: c.LOG_SYNC,
    tracing: tracingConfigFrom(c),
    graphiql: c.GRAPHIQL === 'true',
    csvMaxRows: c.CSV_MAX_ROWS,
    csvTimeoutMs: c.CSV_TIMEOUT_MS,
    exports: {
      pageSize: c.EXPORT_PAGE_SIZE,
      maxCodes: c.EXPORT_MAX_CODES,
      maxPerCaller: c.EXPORT_MAX_PER_CALLER,
      maxTotal: c.EXPORT_MAX_TOTAL,
      sendTimeoutMs: c.EXPORT_SEND_TIMEOUT_MS,
    },
  };
}
