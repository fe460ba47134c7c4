import { z } from 'zod';
import { DEV_GATEWAY_SHARED_SECRET } from '../../contract/identity.js';
import {
  DEFAULT_GATEWAY_MAX_BODY_BYTES,
  SUBGRAPH_PORTS,
  subgraphBodyLimit,
  type SubgraphName,
} from '../../contract/subgraphs.js';
import { DEFAULT_ACQUIRE_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from './database.js';
import { tracingConfigFrom, tracingEnv, type TracingConfig } from './tracing.js';

/**
 * The only reader of process.env for a subgraph process. Validates every variable, gives safe
 * local defaults, and fails fast naming the variable. Names, default ports and the body limit
 * are the gateway's too (contract/subgraphs.ts).
 */

/**
 * Default cache hint (seconds) of every read field without one of its own: the division
 * hierarchy changes with a new statistics release, the service figures with each report.
 * The gateway's response cache and HTTP caches honour it; mutations are never cacheable.
 */
export const DEFAULT_CACHE_MAX_AGE: Record<SubgraphName, number> = {
  places: 3600,
  culture: 60,
  healthcare: 60,
  commerce: 60,
};

const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export interface SubgraphConfig {
  name: SubgraphName;
  host: string;
  port: number;
  databaseUrl: string;
  /** PostgreSQL read replicas (reads outside transactions); empty for none. */
  databaseReplicaUrls: string[];
  /** PostgreSQL: longest wait for a pooled connection or a new one's answer (ms). */
  databaseAcquireTimeoutMs: number;
  /** PostgreSQL: longest wait for a statement's answer, 0 for none (DB_STATEMENT_TIMEOUT_MS). */
  databaseStatementTimeoutMs: number;
  migrate: boolean;
  logLevel: string;
  prettyLogs: boolean;
  /** Key of the gateway's signed identity header (see identity.ts). */
  gatewaySharedSecret: string;
  /** Accepted beside it while the secret is rotated (docs/security.md). */
  gatewayPreviousSecret: string | undefined;
  /** Only requests signed by the gateway are answered (server.ts); default: outside development. */
  requireIdentity: boolean;
  tracing: TracingConfig;
  /** Opt-in (benchmarks): count SQL statements and serve them at GET /debug/sql-count. */
  sqlStatementCounter: boolean;
  /** Cache hint (seconds) of read fields without their own; 0 = answers are not cacheable. */
  cacheMaxAge: number;
  /** Largest request body: subgraphBodyLimit(MAX_BODY_BYTES), MAX_BODY_BYTES being the gateway's. */
  maxBodyBytes: number;
  /** URLs of the other subgraphs this one reads (places: the domains' change outboxes). */
  peers: Partial<Record<SubgraphName, string>>;
}

export function formatConfigError(error: z.ZodError): Error {
  const lines = error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  return new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

function envSchema(name: SubgraphName) {
  const P = name.toUpperCase();
  return z.object({
    [`${P}_HOST`]: z.string().default('127.0.0.1'),
    [`${P}_PORT`]: z.coerce.number().int().min(0).max(65535).default(SUBGRAPH_PORTS[name]),
    [`${P}_DATABASE_URL`]: z
      .string()
      .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgresql://')
      .default(`sqlite:data/${name}.sqlite`),
    [`${P}_DATABASE_REPLICA_URLS`]: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'must be postgresql:// URLs'))),
    DB_MIGRATE: boolish.default(true),
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_ACQUIRE_TIMEOUT_MS),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(DEFAULT_STATEMENT_TIMEOUT_MS),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
    NODE_ENV: z.string().default('development'),
    GATEWAY_SHARED_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    GATEWAY_SHARED_SECRET_PREVIOUS: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().min(32, 'must be at least 32 characters').optional(),
    ),
    SUBGRAPH_REQUIRE_IDENTITY: boolish.optional(),
    ...tracingEnv,
    SQL_STATEMENT_COUNTER: boolish.default(false),
    CACHE_MAX_AGE: z.coerce.number().int().min(0).default(DEFAULT_CACHE_MAX_AGE[name]),
    // The gateway's body limit; the subgraph accepts subgraphBodyLimit() of it.
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(DEFAULT_GATEWAY_MAX_BODY_BYTES),
    // Places reads the domains' change outboxes for the partners' change feed (changes.ts).
    ...(name === 'places' ? peerUrlsEnv() : {}),
  });
}

/** The subgraphs whose change outboxes places reads. */
export const OUTBOX_SUBGRAPHS = ['culture', 'healthcare', 'commerce'] as const;

function peerUrlsEnv() {
  return Object.fromEntries(
    OUTBOX_SUBGRAPHS.map((peer) => [
      `${peer.toUpperCase()}_URL`,
      z.string().url().default(`http://127.0.0.1:${SUBGRAPH_PORTS[peer]}/graphql`),
    ]),
  );
}

/** Every variable a subgraph reads (checked against .env.example and docker-compose.yml). */
export function subgraphEnvVars(name: SubgraphName): string[] {
  return Object.keys(envSchema(name).shape);
}

export function loadSubgraphConfig(
  name: SubgraphName,
  env: NodeJS.ProcessEnv = process.env,
): SubgraphConfig {
  const P = name.toUpperCase();
  const schema = envSchema(name);
  // An empty variable means unset (compose files and .env.example write unset ones as `X=`).
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) throw formatConfigError(parsed.error);
  const c = parsed.data as Record<string, unknown>;
  const development = c.NODE_ENV === 'development' || c.NODE_ENV === 'test';
  if (!c.GATEWAY_SHARED_SECRET && !development) {
    throw new Error(
      'Invalid configuration:\n  GATEWAY_SHARED_SECRET: required outside development (at least 32 characters)',
    );
  }
  // No telemetry or cloud-metadata probes from Apollo libraries, whatever the environment says.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.METADATA_SERVER_DETECTION = 'none';
  return {
    name,
    host: c[`${P}_HOST`] as string,
    port: c[`${P}_PORT`] as number,
    databaseUrl: c[`${P}_DATABASE_URL`] as string,
    databaseReplicaUrls: c[`${P}_DATABASE_REPLICA_URLS`] as string[],
    databaseAcquireTimeoutMs: c.DB_ACQUIRE_TIMEOUT_MS as number,
    databaseStatementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS as number,
    migrate: c.DB_MIGRATE as boolean,
    logLevel: c.LOG_LEVEL as string,
    prettyLogs:
      c.LOG_FORMAT === 'pretty' || (c.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    gatewaySharedSecret:
      (c.GATEWAY_SHARED_SECRET as string | undefined) ?? DEV_GATEWAY_SHARED_SECRET,
    gatewayPreviousSecret: c.GATEWAY_SHARED_SECRET_PREVIOUS as string | undefined,
    requireIdentity: (c.SUBGRAPH_REQUIRE_IDENTITY as boolean | undefined) ?? !development,
    tracing: tracingConfigFrom(c, `${name}-subgraph`),
    sqlStatementCounter: c.SQL_STATEMENT_COUNTER as boolean,
    cacheMaxAge: c.CACHE_MAX_AGE as number,
    maxBodyBytes: subgraphBodyLimit(c.MAX_BODY_BYTES as number),
    peers: Object.fromEntries(
      OUTBOX_SUBGRAPHS.filter((peer) => c[`${peer.toUpperCase()}_URL`]).map((peer) => [
        peer,
        c[`${peer.toUpperCase()}_URL`] as string,
      ]),
    ),
  };
}
