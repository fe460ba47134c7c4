import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type RunningGateway } from '../../gateway/gateway.js';
import { FileKeyStore } from '../../gateway/auth/keys.js';
import { commerceSubgraph } from '../../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../../subgraphs/places/index.js';
import type { SubgraphName } from '../../contract/subgraphs.js';
import type { Engine } from './databases.js';
import {
  bootSubgraph,
  postGraphQL,
  type BootedSubgraph,
  type GraphQLResponse,
} from './subgraph.js';

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, BootedSubgraph>;
  query: <T = Record<string, unknown>>(
    q: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => Promise<GraphQLResponse<T>>;
  /** Headers of a data steward's API key holding every domain's write scope. */
  steward: Record<string, string>;
  /** The caller id the gateway signs for the steward's key (`key:<id>`). */
  stewardCaller: string;
  /**
   * Another gateway over the same subgraphs and keys, with other settings (and, optionally,
   * other subgraph URLs).
   */
  extraGateway: (
    env: NodeJS.ProcessEnv,
    urls?: Partial<Record<SubgraphName, string>>,
  ) => Promise<ExtraGateway>;
  close: () => Promise<void>;
}

export interface ExtraGateway {
  url: string;
  query: Stack['query'];
  close: () => Promise<void>;
}

/** The gateway with the test defaults over the given subgraph URLs. */
async function startGateway(
  urls: Record<SubgraphName, string>,
  keysPath: string,
  env: NodeJS.ProcessEnv | undefined,
): Promise<RunningGateway> {
  const config = loadGatewayConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PLACES_URL: urls.places,
    CULTURE_URL: urls.culture,
    HEALTHCARE_URL: urls.healthcare,
    COMMERCE_URL: urls.commerce,
    // Tests share one address: no anonymous quota unless a test sets one; no key file.
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
    ANONYMOUS_DAILY_QUOTA: '0',
    AUTH_FAILURES_PER_MINUTE: '0',
    KEYS_PATH: keysPath,
    SUPERGRAPH_WATCH: 'false',
    // Every request reaches the subgraphs unless a test turns the response cache on.
    RESPONSE_CACHE: 'off',
    ...env,
  });
  return createGateway(config, pino({ level: process.env.TEST_GATEWAY_LOG ?? 'silent' })).listen();
}

export const STEWARD_SCOPES = ['culture:write', 'healthcare:write', 'commerce:write'];

/**
 * The whole product in-process: four subgraphs on their own fresh databases and the gateway
 * over the committed supergraph, all on free ports, talking real HTTP.
 */
export async function bootStack(opts: {
  scopes: string[];
  /** Gateway configuration on top of the test defaults (see gateway/config.ts). */
  env?: NodeJS.ProcessEnv;
  /** Lets a test put something (a fault-injecting proxy) between the gateway and a subgraph. */
  subgraphUrl?: (name: string, url: string) => string | Promise<string>;
  /** The subgraphs' database engine, when not the run's own (test/support/databases.ts). */
  engine?: Engine;
  /** Places' scopes, when not `scopes` (a deployment whose places was loaded wider). */
  placesScopes?: string[];
  /** A subgraph's scopes, when not `scopes` nor `placesScopes` (domains loaded unlike). */
  scopesOf?: Partial<Record<SubgraphName, string[]>>;
  /** Subgraphs whose database is on a PostgreSQL server of the test's own (private-postgres.ts). */
  servers?: Partial<Record<SubgraphName, string>>;
}): Promise<Stack> {
  // What booted so far: closed again if a later step fails, as the caller gets no handle to it.
  const booted: { close: () => Promise<void> }[] = [];
  const closeBooted = () => Promise.all(booted.splice(0).map((b) => b.close()));
  const boot = async (def: unknown, peers?: Record<string, string>) => {
    const places = def === placesSubgraph && opts.placesScopes;
    const own = opts.scopesOf?.[(def as { name: SubgraphName }).name];
    const subgraph = await bootSubgraph(def as never, {
      scopes: own || places || opts.scopes,
      peers,
      engine: opts.engine,
      server: opts.servers?.[(def as { name: SubgraphName }).name],
    });
    booted.push(subgraph);
    return subgraph;
  };
  try {
    return await startStack(opts, boot);
  } catch (err) {
    await closeBooted();
    throw err;
  }
}

async function startStack(
  opts: Parameters<typeof bootStack>[0],
  boot: (def: unknown, peers?: Record<string, string>) => Promise<BootedSubgraph>,
): Promise<Stack> {
  // The domains first: places reads their change outboxes (the change feed). All settled, so
  // that none is still booting (and then left open) when another's failure is thrown.
  const domains = await Promise.allSettled(
    [cultureSubgraph, healthcareSubgraph, commerceSubgraph].map((def) => boot(def)),
  );
  const [culture, healthcare, commerce] = domains.map((d) => {
    if (d.status === 'rejected') throw d.reason;
    return d.value;
  });
  const places = await boot(placesSubgraph, {
    culture: culture.url,
    healthcare: healthcare.url,
    commerce: commerce.url,
  });
  const subgraphs = { places, culture, healthcare, commerce };
  const keysPath = join(mkdtempSync(join(tmpdir(), 'rdsg-keys-')), 'keys.json');
  const steward = await new FileKeyStore(keysPath, 0).create({
    name: 'test steward',
    owner: 'tests',
    scopes: STEWARD_SCOPES,
  });
  const url = async (name: string, u: string) => (opts.subgraphUrl ? opts.subgraphUrl(name, u) : u);
  const urls = {
    places: await url('places', places.url),
    culture: await url('culture', culture.url),
    healthcare: await url('healthcare', healthcare.url),
    commerce: await url('commerce', commerce.url),
  };
  const gateway = await startGateway(urls, keysPath, opts.env);
  const gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
  return {
    gateway,
    subgraphs,
    query: (q, variables, headers) => postGraphQL(gatewayUrl, q, variables, headers),
    steward: { 'x-api-key': steward.key },
    stewardCaller: `key:${steward.record.id}`,
    extraGateway: async (env, overrides) => {
      const extra = await startGateway({ ...urls, ...overrides }, keysPath, env);
      const extraUrl = `http://127.0.0.1:${extra.port}/graphql`;
      return {
        url: extraUrl,
        query: (q, variables, headers) => postGraphQL(extraUrl, q, variables, headers),
        close: () => extra.close(),
      };
    },
    close: async () => {
      await gateway.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    },
  };
}
