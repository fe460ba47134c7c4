import { z } from 'zod';
import { tracingEnv } from './observability/tracing.js';
import { DEFAULT_GATEWAY_MAX_BODY_BYTES } from '../contract/subgraphs.js';
import { parseTrustProxy } from './auth/proxy-trust.js';
import { MIN_STALL_MS } from './observability/liveness.js';

/**
 * The gateway's environment variables: each validated, with its safe local default. Read only by
 * config.ts (the only reader of process.env); every variable is listed in .env.example and
 * explained in gateway/README.md.
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

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().optional(),
  OPERATOR_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OPERATOR_HOST: z.string().default('127.0.0.1'),
  LIVENESS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LIVENESS_STALL_MS: z.coerce
    .number()
    .int()
    .min(MIN_STALL_MS, `must be at least ${MIN_STALL_MS} ms (the loop's heartbeat is every 250 ms)`)
    .default(10_000),
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
  JWT_CLOCK_TOLERANCE_S: int(30),
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
  AUTH_FAILURES_PER_MINUTE: int(60),
  ANONYMOUS_DAILY_QUOTA: int(5_000),
  MAX_IN_FLIGHT_PER_CALLER: int(32),
  // Operation limits
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(DEFAULT_GATEWAY_MAX_BODY_BYTES),
  MAX_BODY_BYTES_IN_FLIGHT: z.coerce.number().int().positive().default(64_000_000),
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
  READINESS_WAIT_MS: int(30_000),
  MAX_CONNECTIONS: z.coerce.number().int().positive().optional(),
  MAX_CONNECTIONS_PER_ADDRESS: int(256),
  // Performance
  GATEWAY_ENGINE: z.enum(['hive-router', 'apollo']).default('hive-router'),
  SUBGRAPH_DEDUPE: bool.default(true),
  DOCUMENT_CACHE_SIZE: int(1_000),
  DOCUMENT_CACHE_MB: z.coerce.number().int().positive().default(32),
  FETCH_CACHE_MB: z.coerce.number().positive().default(8),
  PLAN_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  PLAN_CACHE_MB: z.coerce.number().positive().default(30),
  RESPONSE_CACHE: z.enum(['off', 'memory', 'redis']).optional(),
  RESPONSE_CACHE_MAX_MB: z.coerce.number().int().positive().default(64),
  COMPRESSION_MIN_BYTES: int(1024),
  SUBGRAPH_MAX_SOCKETS: z.coerce.number().int().positive().default(128),
  SUBGRAPH_MAX_RESPONSE_MB: z.coerce.number().int().positive().default(32),
  // Logs
  AUDIT_LOG_PATH: z.string().optional(),
  AUDIT_SENSITIVE_TYPES: csv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
  LOG_SYNC: bool.default(false),
  // Observability: OpenTelemetry traces (off unless configured).
  ...tracingEnv,
  // Analyst and frontend routes (gateway/analyst/graphiql.ts, gateway/analyst/csv.ts).
  GRAPHIQL: z.enum(['true', 'false']).default('true'),
  CSV_MAX_ROWS: z.coerce.number().int().positive().default(10_000),
  CSV_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  // Partner bulk exports at POST /exports/villages (gateway/analyst/exports.ts).
  EXPORT_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(100),
  EXPORT_MAX_CODES: z.coerce.number().int().positive().default(1_000),
  EXPORT_MAX_PER_CALLER: z.coerce.number().int().positive().default(2),
  EXPORT_MAX_TOTAL: z.coerce.number().int().positive().default(8),
  EXPORT_SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

/** Every variable the gateway reads (checked against .env.example and docker-compose.yml). */
export const GATEWAY_ENV_VARS = Object.keys(envSchema.shape);
