import { SUBGRAPH_NAMES } from '../contract/subgraphs.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  postGraphQL,
  startNode,
  waitFor,
  type Child,
  type Pinning,
} from './processes.js';
import { BENCH_SHARED_SECRET } from './gateways.js';
import type { SubgraphEndpoint } from './sql.js';
import { DATASET_QUERY, PROVINCE, datasetFrom, type Dataset } from './workloads.js';

export { SUBGRAPH_NAMES };

export interface BenchStack {
  subgraphs: (SubgraphEndpoint & { url: string; child: Child })[];
  supergraphPath: string;
  data: Dataset;
  stop: () => Promise<void>;
}

function databaseEnv(dbDir: string): Record<string, string> {
  return Object.fromEntries(
    SUBGRAPH_NAMES.map((n) => [
      `${n.toUpperCase()}_DATABASE_URL`,
      `sqlite:${join(dbDir, `${n}.sqlite`)}`,
    ]),
  );
}

/**
 * Seeds the scope into fresh SQLite files (unless `reuse` and they exist), so every run measures
 * the schema and data of the code being measured.
 */
export function seed(dbDir: string, scope: string, reuse: boolean): string {
  const marker = join(dbDir, `seeded-${scope}`);
  if (reuse && existsSync(marker)) return `reused ${dbDir}`;
  rmSync(dbDir, { recursive: true, force: true });
  mkdirSync(dbDir, { recursive: true });
  const started = Date.now();
  const res = spawnSync(process.execPath, ['dist/scripts/seed.js', '--scope', scope], {
    env: { ...process.env, ...databaseEnv(dbDir), LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`seeding failed:\n${res.stdout}\n${res.stderr}`);
  writeFileSync(marker, res.stdout);
  return `${res.stdout.trim().split('\n').join('; ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`;
}

/** The committed supergraph with each subgraph's URL pointed at the benchmark's ports. */
export function benchSupergraph(urls: Record<string, string>): string {
  const sdl = readFileSync('schema/supergraph.graphql', 'utf8');
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]+"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}

export async function startStack(opts: {
  dbDir: string;
  runDir: string;
  pinning: Pinning;
}): Promise<BenchStack> {
  const subgraphs: BenchStack['subgraphs'] = [];
  const stop = async () => {
    await Promise.all(subgraphs.map((s) => s.child.stop()));
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const port = await freePort();
      const P = name.toUpperCase();
      const child = startNode({
        name,
        args: [`dist/subgraphs/${name}/main.js`],
        env: {
          ...process.env,
          ...databaseEnv(opts.dbDir),
          NODE_ENV: 'production',
          [`${P}_PORT`]: String(port),
          [`${P}_HOST`]: '127.0.0.1',
          DB_MIGRATE: 'false',
          SQL_STATEMENT_COUNTER: '1',
          GATEWAY_SHARED_SECRET: BENCH_SHARED_SECRET,
          // The peer gateways (stock, Hive) do not sign the identity our gateway signs.
          SUBGRAPH_REQUIRE_IDENTITY: 'false',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          APOLLO_TELEMETRY_DISABLED: '1',
          METADATA_SERVER_DETECTION: 'none',
        },
        cpus: opts.pinning.enabled ? opts.pinning.otherCpus : undefined,
        logFile: join(opts.runDir, `subgraph-${name}.log`),
      });
      const origin = `http://127.0.0.1:${port}`;
      subgraphs.push({ name, origin, url: `${origin}/graphql`, child });
    }
    await Promise.all(
      subgraphs.map((s) =>
        waitFor(s.name, async () => (await fetch(`${s.origin}/healthz`)).ok, {
          timeoutMs: 60_000,
          child: s.child,
        }),
      ),
    );
    const supergraphPath = join(opts.runDir, 'supergraph.graphql');
    writeFileSync(
      supergraphPath,
      benchSupergraph(Object.fromEntries(subgraphs.map((s) => [s.name, s.url]))),
    );
    const places = subgraphs.find((s) => s.name === 'places')!;
    const res = await postGraphQL(places.url, DATASET_QUERY, { code: PROVINCE });
    if (res.status !== 200) {
      throw new Error(`places answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    return { subgraphs, supergraphPath, data: datasetFrom(res.body), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
