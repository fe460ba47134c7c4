import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The gateways under test. Each is started as its own process on the same port, over the same
 * supergraph (whose subgraph URLs point at the benchmark's subgraphs), with NODE_ENV=production.
 */
export interface GatewayStartContext {
  port: number;
  supergraphPath: string;
  subgraphUrls: Record<string, string>;
  /** Extra environment for our gateway (`--gateway-env KEY=VALUE`). */
  extraEnv: Record<string, string>;
}

export interface GatewaySpec {
  name: string;
  label: string;
  /** Script and arguments after `node [nodeArgs]`. */
  args: (ctx: GatewayStartContext) => string[];
  env: (ctx: GatewayStartContext) => Record<string, string>;
  /** Names a problem found in the gateway's own log (e.g. a silently disabled feature). */
  logProblem?: (log: string) => string | undefined;
  /** Only these workloads (all when unset). */
  workloads?: string[];
}

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string {
  try {
    const main = require.resolve(name);
    // Walk up from the entry point to the package's own package.json.
    let dir = dirname(main);
    for (let i = 0; i < 5; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {
        // keep walking
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'not installed';
}

const HIVE_BIN = (() => {
  try {
    return join(dirname(require.resolve('@graphql-hive/gateway')), 'bin.js');
  } catch {
    return 'node_modules/@graphql-hive/gateway/dist/bin.js';
  }
})();

/** The HMAC key of the signed identity header, shared by our gateway and the subgraphs. */
export const BENCH_SHARED_SECRET = 'benchmark-only-gateway-shared-secret-0123456789';

const COMMON_ENV = {
  NODE_ENV: 'production',
  APOLLO_TELEMETRY_DISABLED: '1',
  METADATA_SERVER_DETECTION: 'none',
};

function hive(name: string, label: string, flags: string[]): GatewaySpec {
  return {
    name,
    label,
    args: (ctx) => [
      HIVE_BIN,
      'supergraph',
      ctx.supergraphPath,
      '--port',
      String(ctx.port),
      '--host',
      '127.0.0.1',
      // One process, like the others (FORK would start a cluster).
      '--fork',
      '1',
      ...flags,
    ],
    env: () => ({ ...COMMON_ENV }),
    logProblem: (log) =>
      flags.includes('--hive-router-runtime') && !/Using Hive Router Runtime/.test(log)
        ? 'the Hive Router runtime was not used'
        : /Could not load the @graphql-hive\/router-runtime/.test(log)
          ? '@graphql-hive/router-runtime could not be loaded; the default planner ran instead'
          : undefined,
  };
}

/** Our gateway with the production settings it supports (gateway/config.ts). */
function ours(name: string, label: string, env: Record<string, string>): GatewaySpec {
  return {
    name,
    label,
    args: () => ['dist/gateway/main.js'],
    env: (ctx) => ({
      ...COMMON_ENV,
      PORT: String(ctx.port),
      HOST: '127.0.0.1',
      SUPERGRAPH_PATH: ctx.supergraphPath,
      INTROSPECTION: 'false',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      GATEWAY_SHARED_SECRET: BENCH_SHARED_SECRET,
      LIVENESS_PORT: '0',
      // Quotas stay on (counted per request) but high enough for one load generator's address.
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000000',
      ANONYMOUS_DAILY_QUOTA: '1000000000',
      ...env,
      ...Object.fromEntries(
        Object.entries(ctx.subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
      ),
      ...ctx.extraEnv,
    }),
  };
}

export const GATEWAYS: GatewaySpec[] = [
  // The headline: every request answered by the subgraphs (no response cache).
  ours(
    'ours',
    'ours (dist/gateway/main.js, production config: hive-router engine, response cache off)',
    {
      RESPONSE_CACHE: 'off',
    },
  ),
  // The same with the other engine (gateway/engine/engine.ts): what the engine alone changes.
  {
    ...ours(
      'ours-apollo',
      'ours with GATEWAY_ENGINE=apollo (@apollo/gateway behind Apollo Server)',
      {
        RESPONSE_CACHE: 'off',
        GATEWAY_ENGINE: 'apollo',
      },
    ),
    workloads: ['profile', 'page'],
  },
  {
    ...ours('ours-cached', 'ours with its in-memory response cache (subgraph cache hints)', {
      RESPONSE_CACHE: 'memory',
    }),
    workloads: ['profile', 'page', 'mix'],
  },
  {
    name: 'stock',
    label: `stock @apollo/gateway ${packageVersion('@apollo/gateway')} on @apollo/server defaults`,
    args: () => ['dist/bench/stock-gateway.js'],
    env: (ctx) => ({
      ...COMMON_ENV,
      PORT: String(ctx.port),
      SUPERGRAPH_PATH: ctx.supergraphPath,
    }),
  },
  hive('hive', `Hive Gateway ${packageVersion('@graphql-hive/gateway')} (default planner)`, []),
  hive(
    'hive-rust',
    `Hive Gateway ${packageVersion('@graphql-hive/gateway')} + router-runtime ${packageVersion('@graphql-hive/router-runtime')} (Rust planner)`,
    ['--hive-router-runtime'],
  ),
  hive('hive-jit', `Hive Gateway ${packageVersion('@graphql-hive/gateway')} --jit`, ['--jit']),
  hive(
    'hive-rust-jit',
    `Hive Gateway ${packageVersion('@graphql-hive/gateway')} --hive-router-runtime --jit`,
    ['--hive-router-runtime', '--jit'],
  ),
];

/** Not a gateway: the places subgraph called directly, the floor under any gateway. */
export const DIRECT = 'direct';
