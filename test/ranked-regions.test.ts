import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

/**
 * The regions of a domain's `childRanking`, asked for fields of every subgraph — the digital
 * index (places, which `@requires` each domain's index input, each of which `@requires` the
 * region's `ruralVillageCount` from places) beside a domain's own view: each ranked region is
 * the same region asked alone, on both engines. (The Rust planner cannot plan `digitalIndex`
 * beside a domain view there and hands it to @apollo/gateway's planner, which asks the ranking's
 * subgraph for the ranked region's `@external` count instead of places: its plan is repaired,
 * gateway/engine/plan-repair.ts; it was null with SUBGRAPH_UNAVAILABLE.)
 */
const FIELDS =
  'code name ruralVillageCount digitalIndex { score } ' +
  'culture { auditoriumCount coverage } commerce { stores { total } } ' +
  'healthcare { ruralVillageCount }';
const RANKINGS = [
  ['commerce', 'childRanking(by: STORE_COUNT)'],
  ['culture', 'childRanking(by: AUDITORIUM_COUNT)'],
  ['healthcare', 'childRanking(by: FAMILY_DOCTOR_SHARE)'],
] as const;

let stack: Stack;
let apollo: ExtraGateway;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124', '330203'] });
  apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
}, 180_000);
afterAll(async () => {
  await apollo?.close();
  await stack?.close();
});

const engines = () =>
  [
    ['the default engine', stack.query],
    ['GATEWAY_ENGINE=apollo', apollo.query],
  ] as const;

type Ranked = { region: Record<string, unknown> & { code: string } };

/** The ranked regions, and whether the answer carried errors. */
async function ranked(query: Stack['query'], domain: string, ranking: string, fields: string) {
  const res: GraphQLResponse = await query(
    `{ region(code: "33") { ${domain} { ${ranking} { region { ${fields} } } } } }`,
  );
  const region = res.body.data?.region as Record<string, { childRanking: Ranked[] } | null>;
  return { errors: res.body.errors ?? [], entries: region?.[domain]?.childRanking ?? null };
}

describe.each(RANKINGS)('the regions of %s.childRanking', (domain, ranking) => {
  it('are the same regions asked alone, on both engines', async () => {
    for (const [engine, query] of engines()) {
      const { errors, entries } = await ranked(query, domain, ranking, FIELDS);
      expect(errors, engine).toEqual([]);
      expect(entries!.map((e) => e.region.code).sort(), engine).toEqual(['3302', '3311']);
      for (const { region: got } of entries!) {
        const alone = await query(`{ region(code: "${got.code}") { ${FIELDS} } }`);
        expect(alone.body.errors, engine).toBeUndefined();
        expect(got, `${engine}: ${got.code}`).toEqual(alone.body.data!.region);
      }
    }
  });

  it('answer in full on the default engine beside the digital index', async () => {
    const fields = 'code ruralVillageCount digitalIndex { score } healthcare { ruralVillageCount }';
    const { errors, entries } = await ranked(stack.query, domain, ranking, fields);
    expect(errors).toEqual([]);
    expect(entries!.map((e) => e.region.code).sort()).toEqual(['3302', '3311']);
    for (const { region: got } of entries!) {
      const alone = await stack.query(`{ region(code: "${got.code}") { ${fields} } }`);
      expect(got).toEqual(alone.body.data!.region);
    }
  });
});

// A ranked region's digital index alone: @apollo/gateway's planner asks culture's and
// commerce's rankings for the region's @external count instead of places; the ranking was null
// with SUBGRAPH_UNAVAILABLE, every subgraph up (gateway/engine/plan-repair.ts).
it.each(RANKINGS)(
  "answers %s's ranked regions' digital index alike on both engines",
  async (domain, ranking) => {
    const fields = 'code digitalIndex { score }';
    const hive = await ranked(stack.query, domain, ranking, fields);
    expect(hive.errors).toEqual([]);
    expect(hive.entries!.map((e) => e.region.code).sort()).toEqual(['3302', '3311']);
    expect(await ranked(apollo.query, domain, ranking, fields)).toEqual(hive);
  },
);

// Each of a region's fields computed from places' data, beside another under @skip: the
// answer must be the other's as if asked alone. @apollo/gateway fetched the children culture's
// view requires under the view's condition only, and left out the index input that needed the
// same fetch: digitalIndex null with no error (subgraphs/shared/references.ts, REGION_COUNTS).
const REGION_FIELDS = [
  ['digitalIndex', '{ score }'],
  ['childrenByIndex', '{ rank region { code } }'],
  ['culture', '{ coverage }'],
  ['commerce', '{ servicePoints { count } }'],
  ['healthcare', '{ ruralVillageCount }'],
  ['ruralVillageCount', ''],
] as const;

it('answers a region field beside another left out by @skip as if asked alone, on both engines', async () => {
  const wrong: string[] = [];
  for (const [skipped, sub] of REGION_FIELDS) {
    for (const [field, fieldSub] of REGION_FIELDS) {
      if (field === skipped) continue;
      const alone = await stack.query(`{ region(code: "331124") { ${field} ${fieldSub} } }`);
      expect(alone.body.errors).toBeUndefined();
      const q = `query ($c: Boolean! = true) { region(code: "331124") {
        ${skipped} @skip(if: $c) ${sub} ${field} ${fieldSub} } }`;
      for (const [engine, query] of engines()) {
        const res = await query(q);
        if (JSON.stringify(res.body) !== JSON.stringify(alone.body)) {
          wrong.push(`${engine}: ${field} beside ${skipped}: ${JSON.stringify(res.body)}`);
        }
      }
    }
  }
  expect(wrong).toEqual([]);
});

// Haishu district (330203): 17 townships, of which only 9 hold any commerce record. Commerce
// ranked its rollup rows, so the 8 others were left out of its rankings (culture and healthcare
// rank every child): a client saw 9 townships where places lists 17.
it('ranks every child region places lists, in commerce too, one without stores at zero', async () => {
  const all = await stack.query<{ region: { children: { code: string }[] } }>(
    '{ region(code: "330203") { children { code } } }',
  );
  const codes = all.body.data!.region.children.map((c) => c.code);
  const knex = (stack.subgraphs.commerce.started.orm.em as EntityManager).getKnex();
  const stores = new Map<string, number>();
  const active = (await knex('online_store')
    .select('village_code')
    .where({ status: 'ACTIVE' })) as {
    village_code: string;
  }[];
  for (const { village_code: v } of active) {
    stores.set(v.slice(0, 9), (stores.get(v.slice(0, 9)) ?? 0) + 1);
  }
  const want = codes
    .map((code) => ({ code, count: stores.get(code) ?? 0 }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
    .map((e, i) => ({ rank: i + 1, region: { code: e.code }, count: e.count }));
  expect(want.filter((e) => e.count === 0).length).toBeGreaterThan(0); // the case is asked
  for (const [engine, query] of engines()) {
    const res = await query<{ region: Record<string, { childRanking: unknown[] }> }>(
      `{ region(code: "330203") {
        commerce { childRanking(by: STORE_COUNT, first: 100) { rank region { code } count } }
        culture { childRanking(by: AUDITORIUM_COUNT, first: 100) { region { code } } }
        healthcare { childRanking(by: DOCTORS, first: 100) { region { code } } } } }`,
    );
    expect(res.body.errors, engine).toBeUndefined();
    const region = res.body.data!.region;
    expect(region.commerce.childRanking, engine).toEqual(want);
    for (const domain of ['culture', 'healthcare']) {
      const ranked = region[domain].childRanking as { region: { code: string } }[];
      expect(ranked.map((e) => e.region.code).sort(), `${engine} ${domain}`).toEqual(codes);
    }
  }
});

// A ranking inside a ranked region, digital index at both depths: the steps plan-repair.ts adds
// after a fetch of the outer regions were Flatten nodes inside that fetch's Flatten, which
// @apollo/gateway cannot walk past the outer list: 500 INTERNAL_SERVER_ERROR on both engines.
it('answers a ranking inside a ranked region, digital index at both depths, on both engines', async () => {
  const inner =
    'culture { childRanking(by: AUDITORIUM_COUNT) { region { code digitalIndex { score } } } }';
  for (const [domain, ranking] of RANKINGS) {
    for (const [engine, query] of engines()) {
      const res = await query(
        `{ region(code: "33") { ${domain} { ${ranking} { region { code digitalIndex { score } ${inner} } } } } }`,
      );
      expect(res.status, `${engine} ${domain}`).toBe(200);
      expect(res.body.errors, `${engine} ${domain}`).toBeUndefined();
      const entries = (res.body.data!.region as Record<string, { childRanking: Ranked[] }>)[domain]
        .childRanking;
      expect(entries.map((e) => e.region.code).sort()).toEqual(['3302', '3311']);
      for (const { region: got } of entries) {
        const alone = await query(
          `{ region(code: "${got.code}") { code digitalIndex { score } ${inner} } }`,
        );
        expect(got, `${engine} ${domain} ${got.code}`).toEqual(alone.body.data!.region);
      }
    }
  }
});

// childrenByIndex of a ranked region requires its children's index inputs: @apollo/gateway's
// planner asked the ranking's subgraph for `children { cultureIndexInput }`, and the repair
// moved the whole `children` to places, which cannot give a culture field: childrenByIndex
// null with INTERNAL_SERVER_ERROR. Fields nested in the moved ones go back to their subgraph.
it('answers a ranked region’s children by index as the region asked alone, on both engines', async () => {
  const fields = 'code childrenByIndex(first: 2) { rank region { code } }';
  for (const [domain, ranking] of RANKINGS) {
    for (const [engine, query] of engines()) {
      const { errors, entries } = await ranked(query, domain, ranking, fields);
      expect(errors, `${engine} ${domain}`).toEqual([]);
      expect(entries!.map((e) => e.region.code).sort()).toEqual(['3302', '3311']);
      for (const { region: got } of entries!) {
        const alone = await query(`{ region(code: "${got.code}") { ${fields} } }`);
        expect(got, `${engine} ${domain} ${got.code}`).toEqual(alone.body.data!.region);
      }
    }
  }
});

// The digital index in a conditional fragment: the planner puts the index input in a fragment
// under the same condition, which the repair left in the ranking's fetch without the count it
// requires: the ranking null with SUBGRAPH_UNAVAILABLE, every subgraph up.
it('answers a ranked region’s digital index under @skip on a fragment, on both engines', async () => {
  const fields = 'code ... @skip(if: $s) { digitalIndex { score } } culture { coverage }';
  const alone = await stack.query(
    '{ region(code: "331124") { code digitalIndex { score } culture { coverage } } }',
  );
  for (const [engine, query] of engines()) {
    const res = await query(
      `query ($s: Boolean!) { region(code: "3311") { commerce { childRanking(by: STORE_COUNT) { region { ${fields} } } } } }`,
      { s: false },
    );
    expect(res.body.errors, engine).toBeUndefined();
    const region = res.body.data!.region as { commerce: { childRanking: Ranked[] } };
    expect(
      region.commerce.childRanking.map((e) => e.region),
      engine,
    ).toEqual([alone.body.data!.region]);
  }
});
