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
