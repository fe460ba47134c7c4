/**
 * The docker-compose topology without Docker: the four subgraphs and N gateway replicas as
 * separate processes on their own ports, on SQLite files or on PostgreSQL (one database per
 * subgraph), with REDIS_URL passed to every gateway. Runs the compiled code in dist/.
 *
 *   npm run build && node dist/scripts/topology.js [--scope 331124] [--gateways 2]
 *     [--postgres-url postgresql://…/postgres] [--database-prefix topology_]
 *     [--redis-url redis://127.0.0.1:6379] [--base-port 4100]   (--help: all options)
 *
 * Tests import startTopology() (after building) to exercise several gateway processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES, type SubgraphName } from '../contract/subgraphs.js';
import { ensureDatabase } from '../subgraphs/shared/pg-admin.js';

const SUBGRAPHS = SUBGRAPH_NAMES;
type Name = SubgraphName;

export interface TopologyOptions {
  /** Seed scope loaded (when empty) before the subgraphs start. */
  scope: string;
  gateways?: number;
  /** PostgreSQL server URL: databases `<prefix><subgraph>` are created on it. Else SQLite. */
  postgresUrl?: string;
  databasePrefix?: string;
  /** SQLite files go here (default data/topology). */
  dataDir?: string;
  redisUrl?: string;
  /** Gateways on basePort, basePort+1…, subgraphs after them; 0 (default) picks free ports. */
  basePort?: number;
  /** Extra environment for every process (LOG_LEVEL, OTEL_*, gateway security settings…). */
  env?: NodeJS.ProcessEnv;
  /** 'inherit' shows the processes' logs; tests pass 'ignore'. */
  stdio?: 'inherit' | 'ignore';
}

export interface Topology {
  /** `operatorUrl`: the gateway's operator listener (/metrics, detailed /readyz). */
  gateways: { url: string; port: number; operatorUrl: string }[];
  subgraphs: Record<Name, { url: string; port: number; databaseUrl: string }>;
  /** The running process of a subgraph (for fault tests: SIGSTOP, SIGKILL…). */
  processOf: (name: Name) => ChildProcess;
  /** Starts a subgraph's process again (after it was killed) and waits until it is ready. */
  restart: (name: Name) => Promise<void>;
  stop: () => Promise<(number | null)[]>;
}

const here = dirname(fileURLToPath(import.meta.url));
// Compiled: dist/scripts → dist; imported from the TypeScript sources: scripts → ./dist.
const dist = here.endsWith(join('dist', 'scripts')) ? dirname(here) : join(dirname(here), 'dist');
const root = dirname(dist);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited (${child.exitCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const children: ChildProcess[] = [];
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    APOLLO_TELEMETRY_DISABLED: '1',
    METADATA_SERVER_DETECTION: 'none',
    LOG_FORMAT: 'json',
    ...opts.env,
  };
  const run = (script: string, env: NodeJS.ProcessEnv, args: string[] = []) => {
    const child = spawn(process.execPath, [join(dist, script), ...args], {
      cwd: root,
      env: { ...baseEnv, ...env },
      stdio: ['ignore', opts.stdio ?? 'inherit', opts.stdio ?? 'inherit'],
    });
    children.push(child);
    return child;
  };
  /** SIGTERM to every process; resolves with each one's exit code once all have exited. */
  const stop = async (): Promise<(number | null)[]> => {
    const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
    for (const c of alive) c.kill('SIGTERM');
    return Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? c.exitCode
          : new Promise<number | null>((r) => c.once('exit', (code) => r(code))),
      ),
    );
  };

  try {
    const gatewayCount = opts.gateways ?? 2;
    const port = async (i: number) => (opts.basePort ? opts.basePort + i : freePort());
    const subgraphs = {} as Topology['subgraphs'];
    const dbEnv: NodeJS.ProcessEnv = {};
    for (const [i, name] of SUBGRAPHS.entries()) {
      let databaseUrl: string;
      if (opts.postgresUrl) {
        databaseUrl = await ensureDatabase(
          opts.postgresUrl,
          `${opts.databasePrefix ?? 'topology_'}${name}`,
        );
      } else {
        const dir = resolve(root, opts.dataDir ?? 'data/topology');
        mkdirSync(dir, { recursive: true });
        databaseUrl = `sqlite:${join(dir, `${name}.sqlite`)}`;
      }
      const p = await port(gatewayCount + i);
      subgraphs[name] = { port: p, url: `http://127.0.0.1:${p}/graphql`, databaseUrl };
      dbEnv[`${name.toUpperCase()}_DATABASE_URL`] = databaseUrl;
    }

    const seed = run('scripts/seed.js', dbEnv, ['--scope', opts.scope, '--if-empty']);
    const code = await new Promise<number | null>((r) => seed.once('exit', r));
    if (code !== 0) throw new Error(`loading data failed (exit ${code})`);

    const processes = {} as Record<Name, ChildProcess>;
    const startSubgraph = (name: Name) => {
      const P = name.toUpperCase();
      const s = subgraphs[name];
      const child = run(`subgraphs/${name}/main.js`, {
        [`${P}_HOST`]: '127.0.0.1',
        [`${P}_PORT`]: String(s.port),
        [`${P}_DATABASE_URL`]: s.databaseUrl,
        DB_MIGRATE: 'false',
        OTEL_SERVICE_NAME: `${name}-subgraph`,
        // Places reads the domains' change outboxes (the change feed) at these.
        ...Object.fromEntries(SUBGRAPHS.map((n) => [`${n.toUpperCase()}_URL`, subgraphs[n].url])),
      });
      processes[name] = child;
      return waitReady(s.url.replace('/graphql', '/readyz'), child);
    };
    await Promise.all(SUBGRAPHS.map(startSubgraph));

    const gateways: Topology['gateways'] = [];
    for (let i = 0; i < gatewayCount; i++) {
      const p = await port(i);
      const op = await freePort();
      gateways.push({
        port: p,
        url: `http://127.0.0.1:${p}/graphql`,
        operatorUrl: `http://127.0.0.1:${op}`,
      });
    }
    await Promise.all(
      gateways.map((g, i) => {
        const env: NodeJS.ProcessEnv = {
          HOST: '127.0.0.1',
          PORT: String(g.port),
          OTEL_SERVICE_NAME: `gateway-${i + 1}`,
          // Outside development each gateway opens an operator listener (/metrics, /readyz detail);
          // replicas on one host need one port each, as in docker-compose.yml.
          OPERATOR_PORT: new URL(g.operatorUrl).port,
          LIVENESS_PORT: '0',
          ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
        };
        for (const name of SUBGRAPHS) env[`${name.toUpperCase()}_URL`] = subgraphs[name].url;
        return waitReady(g.url.replace('/graphql', '/readyz'), run('gateway/main.js', env));
      }),
    );
    return {
      gateways,
      subgraphs,
      processOf: (name) => processes[name],
      restart: async (name) => {
        const old = processes[name];
        if (old.exitCode === null && old.signalCode === null) {
          old.kill('SIGKILL');
          await new Promise((r) => old.once('exit', r));
        }
        await startSubgraph(name);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export const TOPOLOGY_USAGE = `Usage: node dist/scripts/topology.js [options]

Starts the four subgraphs and N gateway replicas as separate processes (the docker-compose
topology without Docker); Ctrl-C stops them all.

Options:
  --scope <code>             seed scope loaded when the databases are empty (default 331124)
  --gateways <n>             gateway replicas (default 2)
  --postgres-url <url>       PostgreSQL server: one database <prefix><subgraph> each (else SQLite
                             files in data/topology)
  --database-prefix <name>   prefix of those databases (default topology_), so two topologies
                             can share one PostgreSQL server; only with --postgres-url
  --redis-url <url>          REDIS_URL of every gateway (shared rate limits and quotas)
  --base-port <port>         gateways on it, +1…, subgraphs after them (default 4100; 0: free ports)
  -h, --help                 this text
`;

/** The command line as options, `'help'` for --help; throws with a message on a bad one. */
export function parseTopologyArgs(args: string[]): TopologyOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      scope: { type: 'string', default: '331124' },
      gateways: { type: 'string', default: '2' },
      'postgres-url': { type: 'string' },
      'database-prefix': { type: 'string' },
      'redis-url': { type: 'string' },
      'base-port': { type: 'string', default: '4100' },
    },
  });
  if (values.help) return 'help';
  const prefix = values['database-prefix'];
  if (prefix !== undefined && !values['postgres-url']) {
    throw new Error('--database-prefix names PostgreSQL databases: give --postgres-url too');
  }
  if (prefix !== undefined && !/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new Error('--database-prefix must be lower-case letters, digits and _ (up to 41)');
  }
  const whole = (name: string, value: string, min: number) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new Error(`--${name} must be a whole number of at least ${min}`);
    }
    return Number(value);
  };
  return {
    scope: values.scope!,
    gateways: whole('gateways', values.gateways!, 1),
    postgresUrl: values['postgres-url'],
    databasePrefix: prefix,
    redisUrl: values['redis-url'],
    basePort: whole('base-port', values['base-port']!, 0),
  };
}

// Run as a script: start, print the endpoints, stop on Ctrl-C / SIGTERM.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let options: TopologyOptions | 'help';
  try {
    options = parseTopologyArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${TOPOLOGY_USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(TOPOLOGY_USAGE);
    process.exit(0);
  }
  const topology = await startTopology(options);
  for (const g of topology.gateways) console.log(`gateway  ${g.url}`);
  for (const [name, s] of Object.entries(topology.subgraphs))
    console.log(`${name.padEnd(8)} ${s.url}`);
  const shutdown = () => void topology.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
