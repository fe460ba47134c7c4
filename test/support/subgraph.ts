import type { BaseContext } from '@apollo/server';
import { pino } from 'pino';
import type { Identity } from '../../gateway/context.js';
import {
  DEV_GATEWAY_SHARED_SECRET,
  IDENTITY_HEADER,
  signIdentity,
} from '../../contract/identity.js';
import { startSubgraph, type StartedSubgraph } from '../../subgraphs/shared/bootstrap.js';
import type { SubgraphDefinition } from '../../subgraphs/shared/subgraph.js';
import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../../subgraphs/shared/pg-admin.js';
import { createTestDatabase, type Engine, type TestDatabase } from './databases.js';
import { seededDatabase } from './seeded-templates.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

/** POSTs a GraphQL operation over real HTTP. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLResponse<T>['body'] };
}

/** Counts the SQL statements a subgraph sends to its database. */
export class SqlCounter {
  statements: string[] = [];
  readonly onQuery = (sql: string) => {
    this.statements.push(sql);
  };
  reset() {
    this.statements = [];
  }
  get count() {
    return this.statements.length;
  }
}

export interface BootedSubgraph {
  url: string;
  sql: SqlCounter;
  started: StartedSubgraph;
  query: <T = Record<string, unknown>>(
    q: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  /** Sends an operation as the gateway would for a caller holding `scopes` (signed identity). */
  write: <T = Record<string, unknown>>(
    q: string,
    variables?: Record<string, unknown>,
    scopes?: string[],
  ) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
}

/** The signed identity header of a test data steward holding `scopes`. */
export function stewardHeaders(scopes: string[]): Record<string, string> {
  return {
    [IDENTITY_HEADER]: signIdentity(
      { id: 'key:test-steward', kind: 'api-key', scopes } as Pick<
        Identity,
        'id' | 'kind' | 'scopes'
      > as Identity,
      DEV_GATEWAY_SHARED_SECRET,
    ),
  };
}

/**
 * One subgraph on its own fresh database (SQLite or PostgreSQL), migrated, seeded with the given
 * scopes of the real division data (a copy of this worker's seeded template: seeded-templates.ts),
 * listening on a free port.
 */
export async function bootSubgraph(
  def: SubgraphDefinition<BaseContext>,
  opts: {
    scopes: string[];
    seed?: number;
    peers?: Partial<Record<string, string>>;
    /** PostgreSQL: a database of this ICU collation (createTestDatabase). */
    icuLocale?: string;
    /** The database engine, when not the run's own (createTestDatabase). */
    engine?: Engine;
    /** A PostgreSQL server of the test's own (private-postgres.ts): a fresh database there. */
    server?: string;
  },
): Promise<BootedSubgraph> {
  const seed = opts.seed ?? 1;
  const { icuLocale, engine } = opts;
  // Seeded templates belong to a vitest run (test/global-setup.ts); the bench's tools boot
  // subgraphs under plain node and seed their database after it starts.
  const templated = opts.scopes.length > 0 && Boolean(process.env.VITEST) && !opts.server;
  const db: TestDatabase = opts.server
    ? await databaseOn(opts.server, def.name)
    : templated
      ? await seededDatabase(def, { scopes: opts.scopes, seed, icuLocale, engine })
      : await createTestDatabase(def.name, { icuLocale, engine });
  const sql = new SqlCounter();
  let started: StartedSubgraph | undefined;
  try {
    started = await startSubgraph(def, {
      databaseUrl: db.url,
      port: 0,
      logger: pino({ level: process.env.TEST_SUBGRAPH_LOG ?? 'silent' }),
      onQuery: sql.onQuery,
      peers: opts.peers,
    });
    if (!templated) for (const scope of opts.scopes) await def.seed(started.orm, { scope, seed });
  } catch (err) {
    // The caller gets no handle to close: what started here must not outlive the test file.
    await started?.close();
    await db.drop();
    throw err;
  }
  sql.reset();
  return {
    url: started.server.url,
    sql,
    started,
    query: (q, variables) => postGraphQL(started.server.url, q, variables),
    write: (q, variables, scopes = [`${def.name}:write`]) =>
      postGraphQL(started.server.url, q, variables, stewardHeaders(scopes)),
    close: async () => {
      await started.close();
      await db.drop();
    },
  };
}

async function databaseOn(server: string, label: string): Promise<TestDatabase> {
  const name = `t_${label}_${randomBytes(4).toString('hex')}`;
  return { url: await ensureDatabase(server, name), drop: () => dropDatabase(server, name) };
}

/**
 * The fields of an answer's `data` that hold a value. Mutation fields are nullable: a refused
 * write is its field's null with an error, so "nothing written" reads as no field answered.
 */
export function answeredFields(data: unknown): string[] {
  if (data === null || data === undefined) return [];
  return Object.entries(data as Record<string, unknown>)
    .filter(([, v]) => v !== null)
    .map(([k]) => k);
}
