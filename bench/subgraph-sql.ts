/**
 * What a subgraph costs beyond its SQL: for each subgraph, the fetches the gateway sends for one
 * village profile and for a page of 20 (an `_entities` fetch of 1 or 20 villages with the
 * profile's fields), timed whole through HTTP (the gateway's own pooled client) against the SQL
 * statements it runs, timed alone in the same process, prepared, on the same SQLite connection.
 * Distinct villages per request (a rotation of SETS sets). See bench/README.md.
 *
 *   npm run bench:subgraphs -- [--scope 331124] [--requests 300] [--pages 1,20]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { createSubgraphHttpClient } from '../gateway/upstream/http.js';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import { isRuralVillageName, readDivisions } from '../subgraphs/shared/divisions.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { bootSubgraph } from '../test/support/subgraph.js';
import type { SelfTime } from './cpuprofile.js';
import { httpFloor, profiled, profileTable } from './subgraph-floor.js';
import { fixed, markdownTable } from './stats.js';

/** Sets of villages the requests rotate through. */
const SETS = 10;

/** Each subgraph's part of the profile (bench/queries.ts), as the gateway fetches it. */
export const FETCHES = [
  {
    subgraph: 'places',
    def: placesSubgraph,
    fields:
      'code name kind township { code name } county { code name } city { code name } province { code name }',
  },
  {
    subgraph: 'culture',
    def: cultureSubgraph,
    fields: 'culture { auditorium { id name services digitalServiceHub yearOpened } }',
  },
  {
    subgraph: 'healthcare',
    def: healthcareSubgraph,
    fields: 'healthcare { clinic { id name level } }',
  },
  {
    subgraph: 'commerce',
    def: commerceSubgraph,
    fields:
      'commerce { storeCount stores(first: 5) { totalCount edges { node { id name platform category } } } }',
  },
] as const;

export interface SubgraphCost {
  subgraph: string;
  /** Villages per fetch: 1 for a profile's fetch, 20 for a page's. */
  villages: number;
  statements: number;
  /** Mean microseconds per fetch: the statements alone, and the whole request through HTTP. */
  sqlUs: number;
  requestUs: number;
  ratio: number;
  /**
   * The same exchange with a bare node:http server that reads the request and answers the same
   * bytes (no GraphQL, no database): what HTTP and JSON alone cost on this machine.
   */
  floorUs: number;
  /** CPU µs of this process (server and client) per exchange: the whole request, the floor. */
  requestCpuUs: number;
  floorCpuUs: number;
  /** With `profile`: where the measured requests spent their CPU (this process: server and client). */
  profile?: { functions: SelfTime[]; packages: SelfTime[] };
  floorProfile?: { functions: SelfTime[]; packages: SelfTime[] };
}

interface Captured {
  sql: string;
  bindings: unknown[];
}

interface PreparedStatement {
  reader: boolean;
  all(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): PreparedStatement;
}

export const entitiesQuery = (fields: string) =>
  `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Village { ${fields} } } }`;

/** `SETS` × `page` rural villages of the scope, in code order. */
export async function villageSets(scope: string, page = 20): Promise<string[][]> {
  const codes: string[] = [];
  for await (const v of readDivisions('villages', scope)) {
    if (isRuralVillageName(v.name)) codes.push(v.code);
    if (codes.length === SETS * page) break;
  }
  if (codes.length < SETS * page)
    throw new Error(`${scope} has fewer than ${SETS * page} rural villages`);
  return Array.from({ length: SETS }, (_, i) => codes.slice(i * page, (i + 1) * page));
}

/** Measures one subgraph: `requests` fetches each way, after a warm-up of the same count. */
export async function measureSubgraph(
  fetch: (typeof FETCHES)[number],
  sets: string[][],
  scope: string,
  requests: number,
  profile = false,
): Promise<SubgraphCost> {
  if (process.env.TEST_POSTGRES_URL)
    throw new Error('bench:subgraphs measures SQLite (unset TEST_POSTGRES_URL)');
  const booted = await bootSubgraph(fetch.def as never, { scopes: [scope] });
  const http = createSubgraphHttpClient(booted.url, { maxSockets: 1 });
  try {
    const knex = (booted.started.orm.em as EntityManager).getKnex() as Knex;
    const query = entitiesQuery(fetch.fields);
    const bodies = sets.map((codes) =>
      JSON.stringify({
        query,
        variables: { representations: codes.map((code) => ({ __typename: 'Village', code })) },
      }),
    );
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    const answers: string[] = [];
    const send = async (i: number) => {
      const res = await http.post(bodies[i % SETS], headers, 10_000);
      const parsed = JSON.parse(res.body) as { errors?: unknown[] };
      if (res.status !== 200 || parsed.errors)
        throw new Error(`${fetch.subgraph}: ${res.body.slice(0, 300)}`);
      answers[i % SETS] = res.body;
    };
    // The statements of each set's request, with their bindings.
    const captured: Captured[][] = [];
    for (let i = 0; i < SETS; i++) {
      const mine: Captured[] = [];
      const listen = (q: { sql: string; bindings?: unknown[] }) =>
        mine.push({ sql: q.sql, bindings: q.bindings ?? [] });
      knex.on('query', listen);
      await send(i);
      knex.off('query', listen);
      captured.push(mine);
    }
    for (let i = 0; i < requests; i++) await send(i);
    const cpuBefore = process.cpuUsage();
    let started = performance.now();
    for (let i = 0; i < requests; i++) await send(i);
    const requestUs = ((performance.now() - started) * 1000) / requests;
    const cpuUsed = process.cpuUsage(cpuBefore);
    // Profiled apart from the timed run, so that the profiler's overhead is not in the figures.
    const cpu = profile ? await profiled(requests, send) : undefined;
    const floor = await httpFloor(bodies, answers, requests, profile);

    const client = knex.client as {
      acquireConnection(): Promise<SqliteDatabase>;
      releaseConnection(db: SqliteDatabase): Promise<void>;
    };
    const db = await client.acquireConnection();
    try {
      const prepared = captured.map((set) =>
        set.map((s) => ({ statement: db.prepare(s.sql), bindings: s.bindings })),
      );
      const runSet = (i: number) => {
        for (const { statement, bindings } of prepared[i % SETS]) {
          if (statement.reader) statement.all(...bindings);
          else statement.run(...bindings);
        }
      };
      for (let i = 0; i < requests; i++) runSet(i);
      started = performance.now();
      for (let i = 0; i < requests; i++) runSet(i);
      const sqlUs = ((performance.now() - started) * 1000) / requests;
      const statements = Math.max(...captured.map((c) => c.length));
      return {
        subgraph: fetch.subgraph,
        villages: sets[0].length,
        statements,
        sqlUs,
        requestUs,
        ratio: requestUs / sqlUs,
        floorUs: floor.us,
        requestCpuUs: (cpuUsed.user + cpuUsed.system) / requests,
        floorCpuUs: floor.cpuUs,
        profile: cpu,
        floorProfile: floor.profile,
      };
    } finally {
      await client.releaseConnection(db);
    }
  } finally {
    http.close();
    await booted.close();
  }
}

export function costTable(costs: SubgraphCost[]): string {
  return markdownTable(
    [
      'subgraph',
      'fetch',
      'SQL statements',
      'SQL alone (µs)',
      'whole request (µs)',
      'request ÷ SQL',
      'HTTP floor (µs)',
      '(request − floor) ÷ SQL',
      'CPU request / floor (µs)',
    ],
    costs.map((c) => [
      c.subgraph,
      `\`_entities\` of ${c.villages} village${c.villages === 1 ? '' : 's'} (profile fields)`,
      String(c.statements),
      fixed(c.sqlUs, 0),
      fixed(c.requestUs, 0),
      `${fixed(c.ratio, 1)}×`,
      fixed(c.floorUs, 0),
      `${fixed((c.requestUs - c.floorUs) / c.sqlUs, 1)}×`,
      `${fixed(c.requestCpuUs, 0)} / ${fixed(c.floorCpuUs, 0)}`,
    ]),
  );
}

const invokedDirectly = process.argv[1]?.endsWith('subgraph-sql.js');
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', default: '331124' },
      requests: { type: 'string', default: '300' },
      subgraphs: { type: 'string', default: FETCHES.map((f) => f.subgraph).join(',') },
      pages: { type: 'string', default: '1,20' },
      profile: { type: 'boolean', default: false },
    },
  });
  const only = new Set(values.subgraphs!.split(','));
  const requests = Number(values.requests);
  const loadStart = loadavg();
  const costs: SubgraphCost[] = [];
  for (const page of values.pages!.split(',').map(Number)) {
    const sets = await villageSets(values.scope!, page);
    for (const f of FETCHES.filter((f) => only.has(f.subgraph)))
      costs.push(await measureSubgraph(f, sets, values.scope!, requests, values.profile));
  }
  const loadEnd = loadavg();
  console.log(costTable(costs));
  for (const c of costs) {
    const fetch = `${c.subgraph} (${c.villages} villages)`;
    if (c.profile) console.log(`\n${profileTable(fetch, c.profile)}`);
    if (c.floorProfile) console.log(`\n${profileTable(`HTTP floor of ${fetch}`, c.floorProfile)}`);
  }
  console.log(
    `\n${requests} fetches each way per subgraph, sequential, scope ${values.scope}, SQLite; ` +
      `load average ${loadStart.map((l) => l.toFixed(2)).join(' ')} at the start, ` +
      `${loadEnd.map((l) => l.toFixed(2)).join(' ')} at the end.`,
  );
}
