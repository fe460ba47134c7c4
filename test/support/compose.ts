import { existsSync, readFileSync } from 'node:fs';
import { GATEWAY_ENV_VARS, loadGatewayConfig } from '../../gateway/config.js';
import { SUBGRAPH_NAMES, SUBGRAPH_PORTS } from '../../contract/subgraphs.js';
import { loadSubgraphConfig, subgraphEnvVars } from '../../subgraphs/shared/config.js';

/**
 * Checks docker-compose.yml against the code's configuration, since no Docker engine runs the
 * file here. Returns one line per problem; an empty list means the file is consistent.
 */
export const APP_IMAGE = 'rural-digital-services-graph:local';
/** Variables listed for a component whose reader lands in another change (gateway security). */
export const PENDING_VARIABLES = new Set<string>();
/** Variables Node reads itself (the gateways' heap bound), listed and set like the others. */
export const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);
const SUBGRAPHS = SUBGRAPH_NAMES;

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
}
export interface ComposeFile {
  services: Record<string, Service>;
}

export interface ComposeContext {
  /** Variable names listed in .env.example. */
  envExample: string[];
  /** deploy/nginx/nginx.conf */
  nginxConf: string;
  /** deploy/postgres/init.sql */
  initSql: string;
}

export function envExampleVariables(text: string): string[] {
  return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
}

function healthPort(s: Service): number | undefined {
  const test = Array.isArray(s.healthcheck?.test)
    ? s.healthcheck.test.join(' ')
    : s.healthcheck?.test;
  const m = /127\.0\.0\.1:(\d+)\//.exec(test ?? '');
  return m ? Number(m[1]) : undefined;
}

export function checkCompose(compose: ComposeFile, ctx: ComposeContext): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const app = Object.entries(services).filter(([, s]) => s.image === APP_IMAGE);
  const dependsOn = (name: string, on: string, condition: string) => {
    if (services[name]?.depends_on?.[on]?.condition !== condition)
      problems.push(`${name} must depend on ${on} with condition ${condition}`);
  };

  // Every service has a health check that is not disabled.
  for (const [name, s] of Object.entries(services)) {
    const test = s.healthcheck?.test;
    if (!test || s.healthcheck?.disable || (Array.isArray(test) && test[0] === 'NONE'))
      problems.push(`${name} has no health check`);
  }

  // .env.example lists exactly what the config modules read; compose sets only those, and all.
  const read = new Set([
    ...GATEWAY_ENV_VARS,
    ...SUBGRAPHS.flatMap(subgraphEnvVars),
    ...RUNTIME_VARIABLES,
  ]);
  const example = new Set(ctx.envExample);
  for (const v of read) if (!example.has(v)) problems.push(`.env.example lacks ${v}`);
  for (const v of example)
    if (!read.has(v) && !PENDING_VARIABLES.has(v))
      problems.push(`.env.example lists ${v}, which no config reads`);
  const inCompose = new Set(app.flatMap(([, s]) => Object.keys(s.environment ?? {})));
  for (const [name, s] of app)
    for (const v of Object.keys(s.environment ?? {}))
      if (!example.has(v)) problems.push(`${name} sets ${v}, which .env.example does not list`);
  for (const v of example) if (!inCompose.has(v)) problems.push(`no service sets ${v}`);

  // Subgraphs: config parses, default port, health check on that port, own database and role.
  const gatewaySecret = app.find(
    ([, g]) => g.command?.join(' ') === 'node dist/gateway/main.js',
  )?.[1].environment?.GATEWAY_SHARED_SECRET;
  for (const sub of SUBGRAPHS) {
    const s = services[sub];
    if (!s) {
      problems.push(`service ${sub} is missing`);
      continue;
    }
    const P = sub.toUpperCase();
    try {
      // As the image runs it (Dockerfile: NODE_ENV=production), with the gateway's secret.
      const c = loadSubgraphConfig(sub, { NODE_ENV: 'production', ...s.environment });
      if (s.environment?.GATEWAY_SHARED_SECRET !== gatewaySecret)
        problems.push(`${sub} does not share the gateway's GATEWAY_SHARED_SECRET`);
      if (c.port !== SUBGRAPH_PORTS[sub])
        problems.push(`${sub} port ${c.port} is not ${SUBGRAPH_PORTS[sub]}`);
      if (healthPort(s) !== c.port)
        problems.push(`${sub} health check does not probe port ${c.port}`);
      if (c.host !== '0.0.0.0') problems.push(`${sub} must listen on 0.0.0.0 in a container`);
      const db = new URL(c.databaseUrl);
      if (db.hostname !== 'postgres' || db.username !== sub || db.pathname !== `/${sub}`)
        problems.push(`${sub} must use its own database and role on postgres`);
      if (
        !new RegExp(`CREATE ROLE ${sub} LOGIN PASSWORD '${db.password}'`).test(ctx.initSql) ||
        !new RegExp(`CREATE DATABASE ${sub} OWNER ${sub}`).test(ctx.initSql)
      )
        problems.push(`init.sql does not create role and database ${sub}`);
      if (services.seed?.environment?.[`${P}_DATABASE_URL`] !== c.databaseUrl)
        problems.push(`seed does not load ${sub}'s database`);
    } catch (err) {
      problems.push(`${sub}: ${(err as Error).message}`);
    }
    if (s.command?.join(' ') !== `node dist/subgraphs/${sub}/main.js`)
      problems.push(`${sub} runs the wrong command`);
    dependsOn(sub, 'postgres', 'service_healthy');
    dependsOn(sub, 'seed', 'service_completed_successfully');
  }

  // The seed job.
  if (
    !/^node dist\/scripts\/seed\.js --scope zhejiang\b/.test(
      services.seed?.command?.join(' ') ?? '',
    )
  )
    problems.push('seed must run node dist/scripts/seed.js --scope zhejiang');
  dependsOn('seed', 'postgres', 'service_healthy');

  // Gateway replicas behind the load balancer.
  const gateways = app.filter(([, s]) => s.command?.join(' ') === 'node dist/gateway/main.js');
  if (gateways.length < 2) problems.push('at least two gateway replicas are needed');
  const defaultPort = loadGatewayConfig({}).port;
  for (const [name, s] of gateways) {
    try {
      const c = loadGatewayConfig(s.environment ?? {});
      if (c.port !== defaultPort) problems.push(`${name} port ${c.port} is not ${defaultPort}`);
      if (healthPort(s) !== c.port)
        problems.push(`${name} health check does not probe port ${c.port}`);
      if (!ctx.nginxConf.includes(`server ${name}:${c.port}`))
        problems.push(`nginx.conf does not balance over ${name}:${c.port}`);
      for (const sub of SUBGRAPHS) {
        if (c.subgraphUrls[sub] !== `http://${sub}:${SUBGRAPH_PORTS[sub]}/graphql`)
          problems.push(`${name} does not reach ${sub} at its service name and port`);
        dependsOn(name, sub, 'service_healthy');
      }
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
    if (!s.environment?.REDIS_URL?.startsWith('redis://redis:'))
      problems.push(`${name} lacks REDIS_URL`);
    if (!/--max-old-space-size=\d+/.test(s.environment?.NODE_OPTIONS ?? ''))
      problems.push(`${name} has no heap bound (NODE_OPTIONS=--max-old-space-size=…)`);
    dependsOn(name, 'redis', 'service_healthy');
    dependsOn('lb', name, 'service_healthy');
  }
  // With keys in Redis (KEY_STORE=redis) Redis holds the only copy of every API key: it must
  // survive a restart and never evict a key without a TTL (counters and cached answers have one).
  if (gateways.some(([, s]) => s.environment?.KEY_STORE === 'redis')) {
    problems.push(...redisKeepsKeys(services.redis));
  }
  if (!services.lb?.ports?.some((p) => p.endsWith(`:${defaultPort}`)))
    problems.push(`lb does not publish port ${defaultPort}`);

  // Each command names a file the build produces.
  for (const [name, s] of app) {
    const script = s.command?.[1];
    const source = script?.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    if (!source || !existsSync(source))
      problems.push(`${name} runs ${script}, which nothing builds`);
  }
  return problems;
}

/** Persistence (AOF) on a volume, and an eviction policy that spares keys without a TTL. */
function redisKeepsKeys(redis: Service | undefined): string[] {
  const args = redis?.command ?? [];
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const problems: string[] = [];
  if (flag('appendonly') !== 'yes') problems.push('redis keeps API keys but appendonly is not yes');
  if (!redis?.volumes?.some((v) => v.endsWith(':/data')))
    problems.push('redis keeps API keys but /data is not on a volume');
  const policy = flag('maxmemory-policy');
  if (!policy || !['noeviction', 'volatile-lru', 'volatile-lfu', 'volatile-ttl'].includes(policy))
    problems.push(`redis keeps API keys but maxmemory-policy ${policy ?? '(none)'} may evict them`);
  return problems;
}

export function readComposeContext(): ComposeContext {
  return {
    envExample: envExampleVariables(readFileSync('.env.example', 'utf8')),
    nginxConf: readFileSync('deploy/nginx/nginx.conf', 'utf8'),
    initSql: readFileSync('deploy/postgres/init.sql', 'utf8'),
  };
}
