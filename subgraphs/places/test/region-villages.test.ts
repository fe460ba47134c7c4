import type { Migration } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { isSqlite } from '../../shared/bulk.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { placesSubgraph } from '../index.js';
import { migrations } from '../migrations/index.js';

// Jiaojiang district (Taizhou: rural villages, urban communities and two other units) and
// Songyang county (Lishui).
const SCOPES = ['330903', '331124'];
const REGIONS = ['33', '3309', '330903', '330903001', '331124'];
const KINDS = ['RURAL_VILLAGE', 'URBAN_COMMUNITY', 'OTHER'] as const;
let places: BootedSubgraph;

beforeAll(async () => {
  places = await bootSubgraph(placesSubgraph as never, { scopes: SCOPES });
});
afterAll(() => places?.close());

type Totals = Record<string, number>;

/** Each region's village-level units by kind, counted from every page of its villages. */
async function paged(code: string): Promise<Totals> {
  const totals: Totals = { all: 0, RURAL_VILLAGE: 0, URBAN_COMMUNITY: 0, OTHER: 0 };
  let after: string | null = null;
  for (;;) {
    type Page = { edges: { node: { kind: string } }[]; pageInfo: { endCursor: string | null } };
    const res = await places.query<{ region: { villages: Page } }>(
      `query($after: String) { region(code: "${code}") { villages(first: 100, after: $after) {
        edges { node { kind } } pageInfo { endCursor } } } }`,
      { after },
    );
    const page: Page = res.body.data!.region.villages;
    for (const e of page.edges) totals[e.node.kind]++;
    totals.all += page.edges.length;
    if (page.edges.length < 100) return totals;
    after = page.pageInfo.endCursor;
  }
}

async function counted(code: string): Promise<Totals> {
  const res = await places.query<{ region: Record<string, { totalCount: number }> }>(
    `{ region(code: "${code}") { all: villages(first: 0) { totalCount }
      ${KINDS.map((k) => `${k}: villages(kind: ${k}, first: 0) { totalCount }`).join(' ')} } }`,
  );
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(
    Object.entries(res.body.data!.region).map(([k, v]) => [k, v.totalCount]),
  );
}

/** The same counts through the root list, `villages(filter: { regionCode, kind })`. */
async function countedAtRoot(code: string): Promise<Totals> {
  const list = (kind?: string) =>
    `villages(filter: { regionCode: "${code}"${kind ? `, kind: ${kind}` : ''} }, first: 0) { totalCount }`;
  const res = await places.query<Record<string, { totalCount: number }>>(
    `{ all: ${list()} ${KINDS.map((k) => `${k}: ${list(k)}`).join(' ')} }`,
  );
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(Object.entries(res.body.data!).map(([k, v]) => [k, v.totalCount]));
}

/**
 * `Region.villages(kind:) { totalCount }` counted the region's villages of that kind on every
 * request: 14 aliased `provinces { villages(kind: OTHER) { totalCount } }` read the 620,573
 * villages of the national data 14 times (3.4 s of places CPU, cost 952).
 */
describe('a region counts its villages of each kind without reading them', () => {
  it('answers every kind of every level from the counts loaded with the divisions', async () => {
    for (const code of REGIONS) {
      const expected = await paged(code);
      places.sql.reset();
      expect({ code, totals: await counted(code) }).toEqual({ code, totals: expected });
      expect({ code, totals: await countedAtRoot(code) }).toEqual({ code, totals: expected });
      expect(places.sql.statements.filter((s) => /count\(/i.test(s))).toEqual([]);
    }
    expect((await paged('330903')).OTHER).toBeGreaterThan(0);
  });

  it('fills the counts of regions loaded before they were kept (the migration)', async () => {
    const em = places.started.orm.em.fork() as EntityManager;
    const knex = em.getKnex();
    const dialect = isSqlite(knex) ? 'sqlite' : 'postgresql';
    const entry = migrations[dialect].find((m) => m.name.endsWith('_region_urban_count'))!;
    const migration = new entry.class(em.getDriver(), places.started.orm.config) as Migration;
    await migration.up();
    // The column exists: run the statements that fill it, over regions that say 0.
    const [, ...fills] = migration.getQueries().map(String);
    await knex('region').update({ urban_community_count: 0 });
    for (const sql of fills) await knex.raw(sql);
    for (const code of REGIONS) {
      expect({ code, totals: await counted(code) }).toEqual({ code, totals: await paged(code) });
    }
  });
});

type VillagePage = { edges: { node: { code: string } }[]; pageInfo: { hasNextPage: boolean } };

/** Every loaded village of a region in code order, through the root list (another path). */
async function listed(regionCode: string, kind?: string): Promise<string[]> {
  const codes: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: {
      body: { data?: { villages: VillagePage & { pageInfo: { endCursor: string } } } | null };
    } = await places.query(
      `query($after: String) { villages(filter: { regionCode: "${regionCode}" ${kind ? `, kind: ${kind}` : ''} }, first: 100, after: $after) {
          edges { node { code } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const page = res.body.data!.villages;
    codes.push(...page.edges.map((e) => e.node.code));
    if (!page.pageInfo.hasNextPage) return codes;
    after = page.pageInfo.endCursor;
  }
}

/** Rows PostgreSQL read from `village` for each statement `run` sends (EXPLAIN ANALYZE). */
async function villageRowsRead(run: () => Promise<unknown>): Promise<number[]> {
  const knex = (places.started.orm.em.fork() as EntityManager).getKnex();
  const sent: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => {
    if (/from "village"/.test(q.sql)) sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  knex.on('query', listen);
  await run();
  knex.off('query', listen);
  type Plan = {
    'Relation Name'?: string;
    'Actual Rows': number;
    'Actual Loops': number;
    Plans?: Plan[];
  };
  const read = (p: Plan): number =>
    (p['Relation Name'] === 'village' ? p['Actual Rows'] * p['Actual Loops'] : 0) +
    (p.Plans ?? []).reduce((sum, c) => sum + read(c), 0);
  const client = knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(c: unknown): Promise<void>;
  };
  const conn = (await client.acquireConnection()) as {
    query(sql: string, values: unknown[]): Promise<{ rows: { 'QUERY PLAN': { Plan: Plan }[] }[] }>;
  };
  try {
    // A test database is small enough for a sequential or bitmap scan to win whatever the query;
    // what is measured is what the statement needs to read when the table is large.
    await conn.query('set enable_seqscan = off', []);
    await conn.query('set enable_bitmapscan = off', []);
    const out: number[] = [];
    for (const s of sent) {
      const res = await conn.query(`explain (analyze, format json) ${s.sql}`, s.bindings);
      out.push(read(res.rows[0]['QUERY PLAN'][0].Plan));
    }
    return out;
  } finally {
    await conn.query('reset enable_seqscan', []);
    await conn.query('reset enable_bitmapscan', []);
    await client.releaseConnection(conn);
  }
}

/**
 * A page of a province's or a city's villages numbered every village of the region with a
 * window function to keep the first few: a village of each province read all 620,573 of the
 * national data (0.5 s), and 17 aliased pages (cost 11,560) kept places busy for 3 s, past the
 * gateway's timeout. They are read from the index now, a page a region.
 */
describe('a page of a large region reads the page, not the region', () => {
  const asked = (code: string, args: string) =>
    `r${code}: region(code: "${code}") { villages(${args}) { edges { node { code } } pageInfo { hasNextPage } } }`;

  it('answers the first villages of each province and city in code order, from any cursor', async () => {
    const truth = Object.fromEntries(
      await Promise.all(['33', '3309', '3311'].map(async (c) => [c, await listed(c)] as const)),
    );
    const urban = await listed('3309', 'URBAN_COMMUNITY');
    expect(urban.length).toBeGreaterThan(3);
    // The city's pages followed to the end: every village once, in order.
    const cursors: { cursor: string; node: { code: string } }[] = [];
    let after: string | null = null;
    do {
      type Paged = {
        region: {
          villages: {
            edges: typeof cursors;
            pageInfo: { endCursor: string | null; hasNextPage: boolean };
          };
        };
      };
      const page: { body: { data?: Paged | null } } = await places.query(
        `query($after: String) { region(code: "3311") { villages(first: 100, after: $after) {
          edges { cursor node { code } } pageInfo { endCursor hasNextPage } } } }`,
        { after },
      );
      const v = page.body.data!.region.villages;
      cursors.push(...v.edges);
      after = v.pageInfo.hasNextPage ? v.pageInfo.endCursor : null;
    } while (after);
    expect(cursors.map((e) => e.node.code)).toEqual(truth['3311']);
    const res = await places.query<Record<string, { villages: VillagePage }>>(`{
      ${asked('33', 'first: 3')} ${asked('3309', 'first: 3')} ${asked('3311', `first: 3, after: "${cursors[1].cursor}"`)}
      u: region(code: "3309") { villages(kind: URBAN_COMMUNITY, first: 2) { edges { node { code } } pageInfo { hasNextPage } } }
      end: region(code: "3311") { villages(first: 3, after: "${cursors.at(-2)!.cursor}") { edges { node { code } } pageInfo { hasNextPage } } }
    }`);
    expect(res.body.errors).toBeUndefined();
    const codes = (k: string) => res.body.data![k].villages.edges.map((e) => e.node.code);
    expect(codes('r33')).toEqual(truth['33'].slice(0, 3));
    expect(codes('r3309')).toEqual(truth['3309'].slice(0, 3));
    expect(codes('r3311')).toEqual(truth['3311'].slice(2, 5));
    expect(codes('u')).toEqual(urban.slice(0, 2));
    expect(codes('end')).toEqual(truth['3311'].slice(-1));
    expect(res.body.data!.end.villages.pageInfo.hasNextPage).toBe(false);
    expect(res.body.data!.r33.villages.pageInfo.hasNextPage).toBe(true);
  });

  it.runIf(process.env.TEST_POSTGRES_URL)(
    'reads a page of rows a region (PostgreSQL)',
    async () => {
      const reads = await villageRowsRead(() =>
        places.query(
          `{ ${asked('33', 'first: 1')} ${asked('3309', 'first: 1')} ${asked('3311', 'first: 1')} }`,
        ),
      );
      expect(reads.length).toBeGreaterThan(0);
      // A page of 1 is 2 rows (one tells whether a page follows) for each of 3 regions; the
      // province alone has 347 villages loaded.
      expect(Math.max(...reads)).toBeLessThanOrEqual(3 * 2);
    },
  );
});

describe('pages of more cities than one statement holds (SQLite: 500 terms a compound SELECT)', () => {
  it('answers each its own first villages, in code order, with hasNextPage', async () => {
    const knex = (places.started.orm.em.fork() as EntityManager).getKnex();
    // 510 cities of made-up provinces 91-96 (codes no division has), 0 to 3 villages each.
    const cities = Array.from({ length: 510 }, (_, i) => String(9100 + i));
    const rows = cities.flatMap((city, i) =>
      Array.from({ length: i % 4 }, (_, j) => ({
        code: `${city}01001${String(j).padStart(3, '0')}`,
        name: `村${city}${j}`,
        kind: j % 2 ? 'URBAN_COMMUNITY' : 'RURAL_VILLAGE',
        township_code: `${city}01001`,
        county_code: `${city}01`,
        city_code: city,
        province_code: city.slice(0, 2),
      })),
    );
    const region = (code: string, level: string, parent: string | null) => {
      const own = rows.filter((r) => r.code.startsWith(code));
      const urban = own.filter((r) => r.kind === 'URBAN_COMMUNITY').length;
      return {
        ...{ code, name: `R${code}`, level, parent_code: parent, village_count: own.length },
        ...{ rural_village_count: own.length - urban, urban_community_count: urban },
      };
    };
    const provinces = [...new Set(cities.map((c) => c.slice(0, 2)))];
    await knex.batchInsert(
      'region',
      [
        ...provinces.map((p) => region(p, 'PROVINCE', null)),
        ...cities.map((c) => region(c, 'CITY', c.slice(0, 2))),
      ],
      100,
    );
    await knex.batchInsert('village', rows, 100);
    for (const [args, kind] of [
      ['first: 2', null],
      ['first: 1, kind: URBAN_COMMUNITY', 'URBAN_COMMUNITY'],
    ]) {
      const res = await places.query<Record<string, { villages: VillagePage }>>(
        `{ ${cities.map((c) => `r${c}: region(code: "${c}") { villages(${args}) { edges { node { code } } pageInfo { hasNextPage } } }`).join(' ')} }`,
      );
      expect(res.body.errors).toBeUndefined();
      const first = Number(/first: (\d)/.exec(args!)![1]);
      for (const city of cities) {
        const all = rows.filter((r) => r.city_code === city && (!kind || r.kind === kind));
        const page = res.body.data![`r${city}`].villages;
        expect({
          city,
          codes: page.edges.map((e) => e.node.code),
          next: page.pageInfo.hasNextPage,
        }).toEqual({
          city,
          codes: all.slice(0, first).map((r) => r.code),
          next: all.length > first,
        });
      }
    }
  });
});
