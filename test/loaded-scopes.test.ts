import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';

/**
 * Places loaded wider than the domains (Lishui city, 3311, against Songyang county, 331124
 * only): a domain holds no record of Yunhe (331125), and only Songyang's of Lishui. Its view of
 * such a place answered the zeros of a place without any record — Yunhe's culture coverage 0,
 * a digital index computed from zeros, Lishui's coverage as Songyang's covered villages over
 * Lishui's 1,7xx rural villages — as figures, with no error. Each is now null with NOT_LOADED
 * (an index or ranking computed from them: SUBGRAPH_UNAVAILABLE), and Songyang's figures are
 * exactly those of a stack whose scopes agree.
 */
const SONGYANG = '331124';
const YUNHE = '331125';
const YUNHE_VILLAGE = '331125001204';
const SONGYANG_VILLAGE = '331124001201';

let wide: Stack;
let agreeing: Stack;

beforeAll(async () => {
  [wide, agreeing] = await Promise.all([
    bootStack({ scopes: [SONGYANG], placesScopes: ['3311'] }),
    bootStack({ scopes: [SONGYANG] }),
  ]);
});

afterAll(async () => {
  await Promise.all([wide?.close(), agreeing?.close()]);
});

const REGION = `query ($code: ID!) { region(code: $code) { code name ruralVillageCount
  culture { coverage coveragePercent auditoriumCount ruralVillagesCovered
    childRanking(by: COVERAGE, first: 3) { rank region { code } value }
    indexComponents { coverage } }
  healthcare { clinicAccess { shareWithin30Minutes } indexComponents { clinicAccess } }
  commerce { stores { total } indexComponents { stores storesPerVillage } }
  digitalIndex { score components { cultureCoverage onlineStores } } } }`;

// A ranked region's own healthcare view: it now requires places' children too.
const RANKED = `query ($code: ID!) { region(code: $code) { healthcare {
  childRanking(by: DOCTORS, first: 3) { rank value region { code name
    healthcare { clinicAccess { shareWithin30Minutes } } } } } } }`;

const VILLAGE = `query ($code: ID!) { village(code: $code) { code name kind
  culture { auditorium { name } indexComponents { coverage } }
  healthcare { clinic { name } }
  commerce { storeCount }
  digitalIndex { score } } }`;

const RANKINGS = `query ($code: ID!) { region(code: $code) { code
  childrenByIndex(first: 3) { rank region { code } index { score } }
  villagesByIndex(first: 3) { rank village { code } index { score } } } }`;

type Errors = { path?: (string | number)[]; extensions?: { code?: unknown } }[] | undefined;
const codesAt = (errors: Errors) =>
  Object.fromEntries((errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]));

describe('places loaded wider than the domains', () => {
  it("answers a place inside the domains' scope exactly as when the scopes agree", async () => {
    for (const [query, code] of [
      [REGION, SONGYANG],
      [VILLAGE, SONGYANG_VILLAGE],
      [RANKINGS, SONGYANG],
      [RANKED, SONGYANG],
    ] as const) {
      const [got, want] = await Promise.all([
        wide.query(query, { code }),
        agreeing.query(query, { code }),
      ]);
      expect(want.body.errors, code).toBeUndefined();
      expect(got.body, code).toEqual(want.body);
    }
  });

  it('a region the domains hold nothing of: no figures, NOT_LOADED', async () => {
    const res = await wide.query(REGION, { code: YUNHE });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      region: {
        code: YUNHE,
        name: '云和县',
        ruralVillageCount: expect.any(Number),
        culture: null,
        healthcare: null,
        commerce: null,
        digitalIndex: null,
      },
    });
    // Each domain's index input too, reported at the nearest field asked (gateway/engine/error-paths.ts).
    expect(codesAt(res.body.errors)).toEqual({
      region: 'NOT_LOADED',
      'region.culture': 'NOT_LOADED',
      'region.healthcare': 'NOT_LOADED',
      'region.commerce': 'NOT_LOADED',
      'region.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
    });
    const rankings = await wide.query(RANKINGS, { code: YUNHE });
    expect(rankings.body.data).toEqual({
      region: { code: YUNHE, childrenByIndex: null, villagesByIndex: null },
    });
    expect(codesAt(rankings.body.errors)).toEqual({
      region: 'NOT_LOADED',
      'region.childrenByIndex': 'SUBGRAPH_UNAVAILABLE',
      'region.villagesByIndex': 'SUBGRAPH_UNAVAILABLE',
    });
  });

  it('a village the domains hold nothing of: no auditorium, clinic or stores made up', async () => {
    const res = await wide.query(VILLAGE, { code: YUNHE_VILLAGE });
    expect(res.body.data).toEqual({
      village: {
        code: YUNHE_VILLAGE,
        name: '庄前村委会',
        kind: 'RURAL_VILLAGE',
        culture: null,
        healthcare: null,
        commerce: null,
        digitalIndex: null,
      },
    });
    expect(codesAt(res.body.errors)).toEqual({
      village: 'NOT_LOADED',
      'village.culture': 'NOT_LOADED',
      'village.healthcare': 'NOT_LOADED',
      'village.commerce': 'NOT_LOADED',
      'village.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
    });
  });

  it('a region the domains hold part of: no figures of the part as the whole', async () => {
    const res = await wide.query(REGION, { code: '3311' });
    const region = res.body.data?.region as Record<string, unknown>;
    expect(region.ruralVillageCount).toBeGreaterThan(1_000);
    expect(region).toMatchObject({
      culture: null,
      healthcare: null,
      commerce: null,
      digitalIndex: null,
    });
    expect(codesAt(res.body.errors)).toMatchObject({
      'region.culture': 'NOT_LOADED',
      'region.healthcare': 'NOT_LOADED',
      'region.commerce': 'NOT_LOADED',
      'region.digitalIndex': 'SUBGRAPH_UNAVAILABLE',
    });
    const rankings = await wide.query(RANKINGS, { code: '3311' });
    expect(rankings.body.data).toEqual({
      region: { code: '3311', childrenByIndex: null, villagesByIndex: null },
    });
  });
});
