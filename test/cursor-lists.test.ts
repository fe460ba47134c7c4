import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './support/exports.js';
import { bootStack, type Stack } from './support/stack.js';

/**
 * A cursor names the list it was handed out for. Used on another list it was answered from
 * wherever its key fell there: a store cursor of one village on another village's stores gave
 * all of them, or none with `hasNextPage: false` beside `totalCount: 13`. Now refused.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
});
afterAll(async () => stack?.close());

type Data = Record<string, unknown>;
const PAGE = '{ edges { cursor } pageInfo { endCursor } }';

async function data(query: string, variables?: Data): Promise<Data> {
  const res = await stack.query<Data>(query, variables);
  expect(res.body.errors, query).toBeUndefined();
  return res.body.data!;
}

/** The ids the lists are asked about, found through the graph. */
async function someOf() {
  const d = (await data(`{
    villages(filter: { regionCode: "331124001" }, first: 40) { edges { node {
      code commerce { storeCount }
      culture { auditorium { id events(first: 3) { edges { cursor } } } }
      healthcare { assistancePoints { id } } } } }
    enterprises(regionCode: "331124", first: 2) { edges { node { id } } }
    digitalResources(first: 2) { edges { node { id } } }
  }`)) as {
    villages: {
      edges: {
        node: {
          code: string;
          commerce: { storeCount: number } | null;
          culture: { auditorium: { id: string; events: { edges: unknown[] } } | null };
          healthcare: { assistancePoints: { id: string }[] } | null;
        };
      }[];
    };
    enterprises: { edges: { node: { id: string } }[] };
    digitalResources: { edges: { node: { id: string } }[] };
  };
  const villages = d.villages.edges.map((e) => e.node);
  const two = <T>(list: T[]) => {
    expect(list.length).toBeGreaterThanOrEqual(2);
    return [list[0], list[list.length - 1]] as [T, T];
  };
  return {
    villages: two(villages.filter((v) => (v.commerce?.storeCount ?? 0) > 1).map((v) => v.code)),
    auditoriums: two(
      villages.flatMap((v) =>
        (v.culture.auditorium?.events.edges.length ?? 0) > 1 ? [v.culture.auditorium!.id] : [],
      ),
    ),
    points: two(villages.flatMap((v) => v.healthcare?.assistancePoints.map((p) => p.id) ?? [])),
    enterprises: two(d.enterprises.edges.map((e) => e.node.id)),
    resources: two(d.digitalResources.edges.map((e) => e.node.id)),
  };
}

/** A list's field (with `first: 1, after: $after`) and the path to its connection. */
interface List {
  field: string;
  path: string[];
}

const list = (field: string, ...path: string[]): List => ({ field, path });

function cases(ids: Awaited<ReturnType<typeof someOf>>): [string, List, List][] {
  const stores = (code: string) =>
    list(
      `village(code: "${code}") { commerce { stores(ARGS) PAGE } }`,
      'village',
      'commerce',
      'stores',
    );
  const months = 'from: "2020-01", to: "2020-12"';
  return [
    ['one village’s stores on another’s', stores(ids.villages[0]), stores(ids.villages[1])],
    [
      'an enterprise’s stores on another’s',
      ...(ids.enterprises.map((id) =>
        list(`enterprise(id: "${id}") { stores(ARGS) PAGE }`, 'enterprise', 'stores'),
      ) as [List, List]),
    ],
    [
      'one auditorium’s events on another’s',
      ...(ids.auditoriums.map((id) =>
        list(`auditorium(id: "${id}") { events(ARGS) PAGE }`, 'auditorium', 'events'),
      ) as [List, List]),
    ],
    [
      'one resource’s auditoriums on another’s',
      ...(ids.resources.map((id) =>
        list(
          `digitalResource(id: "${id}") { offeredBy(ARGS) PAGE }`,
          'digitalResource',
          'offeredBy',
        ),
      ) as [List, List]),
    ],
    [
      'one point’s months on another’s',
      ...(ids.points.map((id) =>
        list(
          `assistancePoint(id: "${id}") { assistedBookings(${months}, ARGS) PAGE }`,
          'assistancePoint',
          'assistedBookings',
        ),
      ) as [List, List]),
    ],
    [
      'one region’s facilities on another’s',
      ...(['331124001', '331124002'].map((code) =>
        list(`facilities(regionCode: "${code}", ARGS) PAGE`, 'facilities'),
      ) as [List, List]),
    ],
    [
      'one region’s enterprises on another’s',
      ...(['331124001', '331124'].map((code) =>
        list(`enterprises(regionCode: "${code}", ARGS) PAGE`, 'enterprises'),
      ) as [List, List]),
    ],
    [
      'one filter’s auditoriums on another’s',
      ...(['331124001', '331124002'].map((code) =>
        list(`auditoriums(filter: { regionCode: "${code}" }, ARGS) PAGE`, 'auditoriums'),
      ) as [List, List]),
    ],
    [
      'a region’s villages on a village’s stores',
      list('villages(filter: { regionCode: "331124" }, ARGS) PAGE', 'villages'),
      stores(ids.villages[0]),
    ],
    [
      'a village’s stores on a region’s villages',
      stores(ids.villages[0]),
      list('villages(filter: { regionCode: "331124" }, ARGS) PAGE', 'villages'),
    ],
  ];
}

function ask(l: List, after: string | null) {
  const field = l.field.replace('ARGS', 'first: 1, after: $after').replace('PAGE', PAGE);
  return stack.query<Data>(`query($after: String) { ${field} }`, { after });
}

function endCursor(d: Data | null | undefined, path: string[]): string {
  const conn = path.reduce<unknown>((o, k) => (o as Data)[k], d) as {
    pageInfo: { endCursor: string };
  };
  return conn.pageInfo.endCursor;
}

describe('a cursor used on another list', () => {
  it('is refused, BAD_USER_INPUT at `after`; on its own list it pages on', async () => {
    for (const [name, a, b] of cases(await someOf())) {
      const first = await ask(a, null);
      expect(first.body.errors, name).toBeUndefined();
      const cursor = endCursor(first.body.data, a.path);
      expect(cursor, name).toEqual(expect.any(String));
      const other = await ask(b, cursor);
      expect(
        other.body.errors?.map((e) => e.extensions),
        name,
      ).toEqual([{ code: 'BAD_USER_INPUT', field: 'after' }]);
      const own = await ask(a, cursor);
      expect(own.body.errors, name).toBeUndefined();
    }
  });

  it('is the same list whether a filter is left out, empty or holds nulls', async () => {
    const first = await ask(list('auditoriums(ARGS) PAGE', 'auditoriums'), null);
    const cursor = endCursor(first.body.data, ['auditoriums']);
    for (const filter of [
      'filter: {}, ',
      'filter: { regionCode: null, service: null }, ',
      'filter: null, ',
    ]) {
      const next = await ask(list(`auditoriums(${filter}ARGS) PAGE`, 'auditoriums'), cursor);
      expect(next.body.errors, filter).toBeUndefined();
    }
  });
});

/** A village list's cursor as the API writes it (cursors.ts), around any text. */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const villageCursor = (text: string) => Buffer.from(`k:${text}`, 'utf8').toString('base64url');

describe("a region's village cursor that places did not hand out", () => {
  it('is refused, BAD_USER_INPUT at `after`, in the API and by an export it would resume', async () => {
    const first = await ask(
      list('villages(filter: { regionCode: "331124" }, ARGS) PAGE', 'villages'),
      null,
    );
    const handed = endCursor(first.body.data, ['villages']);
    const code = Buffer.from(handed, 'base64url').toString('utf8').slice(2);
    const forged = [
      // Within the region but no village: the rest of the region came back empty, "complete".
      villageCursor('331124999999'),
      villageCursor('331124zzz'),
      // A truncated or garbled one, NUL, odd Unicode, a non-canonical spelling of a real one.
      villageCursor(code.slice(0, 9)),
      villageCursor(`${code}\u0000`),
      villageCursor(`${code}\u{1F600}`),
      `${handed}=`,
      Buffer.from(`k:${code}`).toString('base64'),
      // The same bytes with the unused low bit of the last character set.
      `${handed.slice(0, -1)}${B64[B64.indexOf(handed.at(-1)!) ^ 1]}`,
    ].filter((c) => c !== handed);
    const origin = `http://127.0.0.1:${stack.gateway.port}`;
    for (const after of forged) {
      const page = await stack.query(
        'query($after: String) { villages(filter: { regionCode: "331124" }, first: 5, after: $after) { edges { cursor } } }',
        { after },
      );
      expect(
        page.body.errors?.map((e) => e.extensions),
        after,
      ).toEqual([{ code: 'BAD_USER_INPUT', field: 'after' }]);
      const resumed = await post(origin, { selection: '{ code }', regionCode: '331124', after });
      expect([after, resumed.status], await resumed.text()).toEqual([after, 400]);
    }
    const own = await stack.query(
      'query($after: String) { villages(filter: { regionCode: "331124" }, first: 5, after: $after) { edges { cursor } } }',
      { after: handed },
    );
    expect(own.body.errors).toBeUndefined();
  });
});
