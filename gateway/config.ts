import { z } from 'zod';

/**
 * The only reader of process.env for the gateway process. Validates every variable, gives safe
 * local defaults, and fails fast naming the variable.
 */
const SUBGRAPHS = ['places', 'culture', 'healthcare', 'commerce'] as const;

const optionalUrl = z.string().url().optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().optional(),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  PLACES_URL: optionalUrl,
  CULTURE_URL: optionalUrl,
  HEALTHCARE_URL: optionalUrl,
  COMMERCE_URL: optionalUrl,
  INTROSPECTION: z.enum(['true', 'false']).default('true'),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
  // Analyst and frontend routes (gateway/graphiql.ts, gateway/csv.ts).
  GRAPHIQL: z.enum(['true', 'false']).default('true'),
  CSV_MAX_ROWS: z.coerce.number().int().positive().default(10_000),
});

export interface GatewayConfig {
  port: number;
  host: string | undefined;
  supergraphPath: string;
  /** Overrides of the subgraph URLs recorded in the supergraph, by subgraph name. */
  subgraphUrls: Partial<Record<(typeof SUBGRAPHS)[number], string>>;
  introspection: boolean;
  maxBodyBytes: number;
  subgraphTimeoutMs: number;
  logLevel: string;
  prettyLogs: boolean;
  /** Serve GraphiQL at GET /graphql to browsers (Accept: text/html). */
  graphiql: boolean;
  /** Largest CSV download (rows) at GET /csv/<operation>. */
  csvMaxRows: number;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid gateway configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  // No telemetry or cloud-metadata probes from Apollo libraries, whatever the environment says.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.METADATA_SERVER_DETECTION = 'none';
  const subgraphUrls: GatewayConfig['subgraphUrls'] = {};
  for (const name of SUBGRAPHS) {
    const url = c[`${name.toUpperCase()}_URL` as 'PLACES_URL'];
    if (url) subgraphUrls[name] = url;
  }
  return {
    port: c.PORT,
    host: c.HOST,
    supergraphPath: c.SUPERGRAPH_PATH,
    subgraphUrls,
    introspection: c.INTROSPECTION === 'true',
    maxBodyBytes: c.MAX_BODY_BYTES,
    subgraphTimeoutMs: c.SUBGRAPH_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
    prettyLogs:
      c.LOG_FORMAT === 'pretty' || (c.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    graphiql: c.GRAPHIQL === 'true',
    csvMaxRows: c.CSV_MAX_ROWS,
  };
}
