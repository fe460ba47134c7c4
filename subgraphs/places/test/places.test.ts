import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDivisions } from '../../shared/divisions.js';
import { bootSubgraph, type BootedSubgraph } from '../../../test/support/subgraph.js';
import { placesSubgraph } from '../index.js';

// Songyang county (Lishui) and Haishu district (Ningbo, home of Houcang village).
const SCOPES = ['331124', '330203'];
let places: BootedSubgraph;

beforeAll(async () => {
  places = await bootSubgraph(placesSubgraph as never, { scopes: SCOPES });
});
afterAll(() => places?.close());

async function datasetVillages(prefix: string) {
  const codes: string[] = [];
  for await (const v of readDivisions('villages'))
    if (v.code.startsWith(prefix)) codes.push(v.code);
  return codes.sort();
}

describe('places subgraph', () => {
  it('returns a village with its whole hierarchy', async () => {
    const res = await places.query(`{
      village(code: "330203009205") {
        code name kind
        township { code name level } county { code name level }
        city { code name level } province { code name level parent { code } }
      }
    }`);
    expect(res.body).toEqual({
      data: {
        village: {
          code: '330203009205',
          name: '后仓村村委会',
          kind: 'RURAL_VILLAGE',
          township: { code: '330203009', name: '石碶街道', level: 'TOWNSHIP' },
          county: { code: '330203', name: '海曙区', level: 'COUNTY' },
          city: { code: '3302', name: '宁波市', level: 'CITY' },
          province: { code: '33', name: '浙江省', level: 'PROVINCE', parent: null },
        },
      },
    });
  });

  it('rejects a malformed code with BAD_USER_INPUT and answers null for an unknown one', async () => {
    const bad = await places.query('{ village(code: "not-a-code") { code } }');
    expect(bad.body.data).toEqual({ village: null });
    expect(bad.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    const unknown = await places.query('{ village(code: "339999999999") { code } }');
    expect(unknown.body).toEqual({ data: { village: null } });
  });

  it('pages through a county with stable cursors and a correct total', async () => {
    const expected = await datasetVillages('331124');
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: Awaited<ReturnType<typeof places.query>> = await places.query(
        `query($after: String) { villages(filter: { regionCode: "331124" }, first: 100, after: $after) {
            totalCount edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      const page = (
        res.body.data as {
          villages: {
            totalCount: number;
            edges: { node: { code: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }
      ).villages;
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.edges.map((e) => e.node.code));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    // The same cursor gives the same page again.
    const again = await places.query(
      `{ villages(filter: { regionCode: "331124" }, first: 2) { edges { node { code } } } }`,
    );
    expect(again.body.data).toEqual({
      villages: { edges: expected.slice(0, 2).map((code) => ({ node: { code } })) },
    });
  });

  it('bounds the page size and rejects foreign cursors', async () => {
    const big = await places.query('{ villages(first: 101) { edges { cursor } } }');
    expect(big.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const cursor = await places.query(
      '{ villages(first: 1, after: "bm9wZQ") { edges { cursor } } }',
    );
    expect(cursor.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('filters by name and kind', async () => {
    const res = await places.query(
      `{ villages(filter: { regionCode: "330203", nameContains: "后仓", kind: RURAL_VILLAGE }) { edges { node { code name } } } }`,
    );
    expect(res.body.data).toEqual({
      villages: { edges: [{ node: { code: '330203009205', name: '后仓村村委会' } }] },
    });
  });

  it('counts the villages of every loaded scope in an enclosing region', async () => {
    const res = await places.query(
      '{ region(code: "33") { villageCount children { code villageCount } } }',
    );
    const expected =
      (await datasetVillages('331124')).length + (await datasetVillages('330203')).length;
    const region = (
      res.body.data as {
        region: { villageCount: number; children: { code: string; villageCount: number }[] };
      }
    ).region;
    expect(region.villageCount).toBe(expected);
    expect(region.children.map((c) => c.code).sort()).toEqual(['3302', '3311']);
    expect(region.children.reduce((a, c) => a + c.villageCount, 0)).toBe(expected);
  });

  it('resolves entity references as the gateway asks for them', async () => {
    const res = await places.query(
      `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Village { code name } ... on Region { code name level } } }`,
      {
        r: [
          { __typename: 'Village', code: '330203009205' },
          { __typename: 'Region', code: '331124' },
          { __typename: 'Village', code: '110101001001' },
        ],
      },
    );
    expect(res.body.data).toEqual({
      _entities: [
        { code: '330203009205', name: '后仓村村委会' },
        { code: '331124', name: '松阳县', level: 'COUNTY' },
        null,
      ],
    });
    // A village of the official list outside places' scopes: not loaded, not "unavailable".
    const errors = res.body.errors as { path?: unknown[]; extensions?: { code?: unknown } }[];
    expect(errors.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 2], 'NOT_LOADED'],
    ]);
  });

  it('answers index fields whose inputs are missing, partial or null with SUBGRAPH_UNAVAILABLE, never a crash', async () => {
    const input = (code: string) => ({
      cultureIndexInput: {
        code,
        hasFigures: true,
        provenance: { kind: 'SYNTHETIC' },
        coverage: 1,
        usage: 1,
      },
      healthcareIndexInput: {
        code,
        hasFigures: true,
        provenance: { kind: 'SYNTHETIC' },
        clinicAccess: 1,
        assistedBookings: 1,
      },
      commerceIndexInput: {
        code,
        hasFigures: true,
        provenance: { kind: 'SYNTHETIC' },
        stores: 1,
        onlineRevenue: 1,
      },
    });
    const page = await places.query<{ villages: { edges: { node: { code: string } }[] } }>(
      '{ villages(filter: { regionCode: "330203", kind: RURAL_VILLAGE }, first: 3) { edges { node { code } } } }',
    );
    const [a, b, c] = page.body.data!.villages.edges.map((e) => e.node.code);
    const { cultureIndexInput: _missing, ...withoutCulture } = input(b);
    const res = await places.query(
      `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Village { digitalIndex { score } }
          ... on Region { childrenByIndex { rank } villagesByIndex { rank } } } }`,
      {
        r: [
          { __typename: 'Village', code: a, ...input(a) },
          { __typename: 'Village', code: b, ...withoutCulture },
          { __typename: 'Village', code: c, cultureIndexInput: null },
          {
            __typename: 'Region',
            code: '331124',
            children: [null, input('331124001')],
            indexVillages: null,
          },
          { __typename: 'Region', code: '330203', children: null, indexVillages: [null] },
        ],
      },
    );
    const entities = res.body.data!._entities as Record<string, unknown>[];
    expect(entities[0]).toEqual({ digitalIndex: { score: 100 } });
    expect(entities.slice(1)).toEqual([
      { digitalIndex: null },
      { digitalIndex: null },
      { childrenByIndex: null, villagesByIndex: null },
      { childrenByIndex: null, villagesByIndex: null },
    ]);
    const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).toHaveLength(6);
    expect(new Set(codes)).toEqual(new Set(['SUBGRAPH_UNAVAILABLE']));
  });

  it('serves village pages of many regions with a constant number of statements', async () => {
    const query = (n: number) =>
      places.query(
        `{ region(code: "331124") { children { code villageCount villages(first: ${n}) { edges { node { code } } } } } }`,
      );
    places.sql.reset();
    const small = await query(2);
    const smallCount = places.sql.count;
    places.sql.reset();
    const large = await query(50);
    expect(places.sql.count).toBe(smallCount);
    // region, its children, one windowed page query for all of them.
    expect(smallCount).toBe(3);
    const children = (
      large.body.data as {
        region: { children: { villageCount: number; villages: { edges: unknown[] } }[] };
      }
    ).region.children;
    expect(children.length).toBeGreaterThan(10);
    for (const c of children) expect(c.villages.edges.length).toBe(Math.min(50, c.villageCount));
    expect(small.body.errors).toBeUndefined();
  });

  it('answers each of two village pages of one region asked in one request', async () => {
    const res = await places.query(`{ region(code: "331124") {
      one: villages(first: 1) { edges { node { code } } }
      three: villages(first: 3) { edges { node { code } } }
      rural: villages(first: 3, kind: RURAL_VILLAGE) { edges { node { code } } } } }`);
    type Page = { edges: { node: { code: string } }[] };
    const region = (res.body.data as { region: Record<'one' | 'three' | 'rural', Page> }).region;
    const codes = (await datasetVillages('331124')).slice(0, 3);
    expect(region.one.edges.map((e) => e.node.code)).toEqual(codes.slice(0, 1));
    expect(region.three.edges.map((e) => e.node.code)).toEqual(codes);
    expect(new Set(region.rural.edges.map((e) => e.node.code)).size).toBe(3);
  });
});
