import { z } from 'zod';

/**
 * The only reader of process.env for a subgraph process. Validates every variable, gives safe
 * local defaults, and fails fast naming the variable.
 */
export const SUBGRAPH_PORTS = {
  places: 4001,
  culture: 4002,
  healthcare: 4003,
  commerce: 4004,
} as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export interface SubgraphConfig {
  name: SubgraphName;
  host: string;
  port: number;
  databaseUrl: string;
  migrate: boolean;
  logLevel: string;
  prettyLogs: boolean;
  /** Opt-in (benchmarks): count SQL statements and serve them at GET /debug/sql-count. */
  sqlStatementCounter: boolean;
}

export function formatConfigError(error: z.ZodError): Error {
  const lines = error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  return new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

export function loadSubgraphConfig(
  name: SubgraphName,
  env: NodeJS.ProcessEnv = process.env,
): SubgraphConfig {
  const P = name.toUpperCase();
  const schema = z.object({
    [`${P}_HOST`]: z.string().default('127.0.0.1'),
    [`${P}_PORT`]: z.coerce.number().int().min(0).max(65535).default(SUBGRAPH_PORTS[name]),
    [`${P}_DATABASE_URL`]: z
      .string()
      .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgresql://')
      .default(`sqlite:data/${name}.sqlite`),
    DB_MIGRATE: boolish.default(true),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
    SQL_STATEMENT_COUNTER: boolish.default(false),
  });
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw formatConfigError(parsed.error);
  const c = parsed.data as Record<string, unknown>;
  // No telemetry or cloud-metadata probes from Apollo libraries, whatever the environment says.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.METADATA_SERVER_DETECTION = 'none';
  return {
    name,
    host: c[`${P}_HOST`] as string,
    port: c[`${P}_PORT`] as number,
    databaseUrl: c[`${P}_DATABASE_URL`] as string,
    migrate: c.DB_MIGRATE as boolean,
    logLevel: c.LOG_LEVEL as string,
    prettyLogs:
      c.LOG_FORMAT === 'pretty' || (c.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    sqlStatementCounter: c.SQL_STATEMENT_COUNTER as boolean,
  };
}
