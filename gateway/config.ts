import { z } from 'zod';
import { tracingConfigFrom, tracingEnv, type TracingConfig } from './tracing.js';
import type { EngineKind } from './engine.js';
import { parseTrustProxy, type ProxyTrust } from './proxy-trust.js';
import type { Quota } from './context.js';
import { DEV_GATEWAY_SHARED_SECRET } from '../contract/identity.js';
import {
  DEFAULT_GATEWAY_MAX_BODY_BYTES,
  SUBGRAPH_NAMES,
  subgraphBodyLimit,
  type SubgraphName,
} from '../contract/subgraphs.js';

/**
 * The only reader of process.env for the gateway process. Validates every variable, gives safe
 * local defaults, and fails fast naming the variable. Every variable is listed in .env.example
 * and explained in gateway/README.md.
 */
const optionalUrl = z.string().url().optional();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (d: number) => z.coerce.number().int().min(0).default(d);
const csv = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().optional(),
  OPERATOR_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OPERATOR_HOST: z.string().default('127.0.0.1'),
  NODE_ENV: z.string().default('development'),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  SUPERGRAPH_WATCH: bool.default(true),
  PLACES_URL: optionalUrl,
  CULTURE_URL: optionalUrl,
  HEALTHCARE_URL: optionalUrl,
  COMMERCE_URL: optionalUrl,
  // Identity
  KEY_STORE: z.enum(['file', 'redis']).optional(),
  KEYS_PATH: z.string().default('data/api-keys.json'),
  KEYS_RELOAD_MS: int(1000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: optionalUrl,
  JWT_JWKS_PATH: z.string().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_MAX_LIFETIME_S: int(86_400),
  ANONYMOUS_ACCESS: z.enum(['read', 'off']).default('read'),
  GATEWAY_SHARED_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  // Quotas
  REDIS_URL: z.string().optional(),
  RATE_LIMIT_PER_MINUTE: int(600),
  DAILY_QUOTA: int(100_000),
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: int(60),
  ANONYMOUS_DAILY_QUOTA: int(5_000),
  // Operation limits
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(DEFAULT_GATEWAY_MAX_BODY_BYTES),
  MAX_DEPTH: int(12),
  MAX_ALIASES: int(30),
  MAX_DIRECTIVES: int(50),
  MAX_TOKENS: int(5_000),
  MAX_COST: int(20_000),
  MAX_EXPANDED_SELECTIONS: int(5_000),
  DEFAULT_LIST_SIZE: int(20),
  MAX_BATCH_SIZE: int(0),
  TRUSTED_DOCUMENTS_PATH: z.string().optional(),
  APQ_CACHE_SIZE: int(1_000),
  // Browser and schema exposure
  CORS_ORIGINS: csv,
  INTROSPECTION: bool.optional(),
  FIELD_SUGGESTIONS: bool.optional(),
  // Reliability
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SUBGRAPH_RETRIES: int(2),
  SUBGRAPH_RETRY_BACKOFF_MS: int(50),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(5),
  BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
  SHUTDOWN_TIMEOUT_MS: int(10_000),
  // Performance
  GATEWAY_ENGINE: z.enum(['hive-router', 'apollo']).default('hive-router'),
  SUBGRAPH_DEDUPE: bool.default(true),
  DOCUMENT_CACHE_SIZE: int(1_000),
  DOCUMENT_CACHE_MB: z.coerce.number().int().positive().default(32),
  PLAN_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  RESPONSE_CACHE: z.enum(['off', 'memory', 'redis']).optional(),
  RESPONSE_CACHE_MAX_MB: z.coerce.number().int().positive().default(64),
  COMPRESSION_MIN_BYTES: int(1024),
  SUBGRAPH_MAX_SOCKETS: z.coerce.number().int().positive().default(128),
  // Logs
  AUDIT_LOG_PATH: z.string().optional(),
  AUDIT_SENSITIVE_TYPES: csv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
  LOG_SYNC: bool.default(false),
  // Observability: OpenTelemetry traces (off unless configured).
  ...tracingEnv,
  // Analyst and frontend routes (gateway/graphiql.ts, gateway/csv.ts).
  GRAPHIQL: z.enum(['true', 'false']).default('true'),
  CSV_MAX_ROWS: z.coerce.number().int().positive().default(10_000),
  // Partner bulk exports at POST /exports/villages (gateway/exports.ts).
  EXPORT_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(100),
  EXPORT_MAX_CODES: z.coerce.number().int().positive().default(1_000),
  EXPORT_MAX_PER_CALLER: z.coerce.number().int().positive().default(2),
  EXPORT_MAX_TOTAL: z.coerce.number().int().positive().default(8),
});

/** Every variable the gateway reads (checked against .env.example and docker-compose.yml). */
export const GATEWAY_ENV_VARS = Object.keys(schema.shape);

export interface GatewayConfig {
  port: number;
  host: string | undefined;
  /**
   * The operator listener (/metrics, /readyz with detail), apart from the public port; undefined
   * = none (development: both served on the public port).
   */
  operator: { port: number; host: string } | undefined;
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
      }
    | undefined;
  anonymous: 'read' | 'off';
  sharedSecret: string;
  /** Peers whose X-Forwarded-For is believed (proxy-trust.ts). */
  trustProxy: ProxyTrust;
  redisUrl: string | undefined;
  quota: Quota;
  anonymousQuota: Quota;
  limits: {
    maxBodyBytes: number;
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
  /** Share one subgraph fetch between identical concurrent queries of callers with the same scopes. */
  dedupeSubgraphFetches: boolean;
  /** The query planner and executor behind Apollo Server (engine.ts). */
  engine: EngineKind;
  /** Documents whose parse, validation and authorization results are kept. */
  documentCacheSize: number;
  /** Bytes those documents (and the APQ documents) may hold in all. */
  documentCacheBytes: number;
  /** How long the fallback planner may plan one operation (engine.ts). */
  planTimeoutMs: number;
  /** Whole query answers, as the subgraphs' cache hints allow (response-cache.ts). */
  responseCache: { mode: 'off' | 'memory' | 'redis'; maxBytes: number };
  /** Answers at least this long are gzip/br-compressed when the client accepts it; 0 = never. */
  compressionMinBytes: number;
  /** Most pooled keep-alive connections per subgraph. */
  subgraphMaxSockets: number;
  /** Largest subgraph fetch sent: subgraphBodyLimit(MAX_BODY_BYTES). */
  subgraphMaxBodyBytes: number;
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
  /** POST /exports/villages: villages a page, codes a request, exports at once per caller and in all. */
  exports: { pageSize: number; maxCodes: number; maxPerCaller: number; maxTotal: number };
}

function fail(lines: string[]): never {
  throw new Error(`Invalid gateway configuration:\n${lines.join('\n')}`);
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // An empty variable means unset (compose files and .env.example write unset ones as `X=`).
  const parsed = schema.safeParse(
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
  if (c.RESPONSE_CACHE === 'redis' && !c.REDIS_URL) {
    fail(['  REDIS_URL: required when RESPONSE_CACHE=redis']);
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
    limits: {
      maxBodyBytes: c.MAX_BODY_BYTES,
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
    dedupeSubgraphFetches: c.SUBGRAPH_DEDUPE,
    engine: c.GATEWAY_ENGINE,
    documentCacheSize: c.DOCUMENT_CACHE_SIZE,
    documentCacheBytes: c.DOCUMENT_CACHE_MB * 1024 * 1024,
    planTimeoutMs: c.PLAN_TIMEOUT_MS,
    compressionMinBytes: c.COMPRESSION_MIN_BYTES,
    responseCache: {
      mode: c.RESPONSE_CACHE ?? (c.REDIS_URL ? 'redis' : 'memory'),
      maxBytes: c.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
    },
    subgraphMaxSockets: c.SUBGRAPH_MAX_SOCKETS,
    subgraphMaxBodyBytes: subgraphBodyLimit(c.MAX_BODY_BYTES),
    audit: { path: c.AUDIT_LOG_PATH, sensitiveTypes: c.AUDIT_SENSITIVE_TYPES },
    logLevel: c.LOG_LEVEL,
    prettyLogs:
      c.LOG_FORMAT === 'pretty' || (c.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    logSync: c.LOG_SYNC,
    tracing: tracingConfigFrom(c),
    graphiql: c.GRAPHIQL === 'true',
    csvMaxRows: c.CSV_MAX_ROWS,
    exports: {
      pageSize: c.EXPORT_PAGE_SIZE,
      maxCodes: c.EXPORT_MAX_CODES,
      maxPerCaller: c.EXPORT_MAX_PER_CALLER,
      maxTotal: c.EXPORT_MAX_TOTAL,
    },
  };
}
