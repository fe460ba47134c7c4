import { readFileSync } from 'node:fs';
import type { DirectiveNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliasCases, type CaseIds } from './support/aliased-cases.js';
import { apiSchema, variants, type AliasCase } from './support/aliased-fields.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';
import type { GraphQLResponse } from './support/subgraph.js';

/**
 * Every field that takes arguments, asked twice on the same parent under two aliases with
 * different arguments (and through fragments, variables, other sub-selections, reordered
 * arguments, @skip/@include, two parents), answers each alias as the alias asked alone does —
 * on both engines. A loader, memo or cache keyed without one of the field's arguments answers
 * one alias with the other's rows (support/aliased-fields.ts).
 */
let stack: Stack;
let apollo: ExtraGateway;
let cases: AliasCase[];
const schema = apiSchema(readFileSync('schema/supergraph.graphql', 'utf8'));
const COUNTY = '331124';
/** The only county with processing workshops (commerce/seed/workshops.seed.ts). */
const WORKSHOPS = '331127';
/** An enterprise of the county with stores, and the village of one of them. */
const ENTERPRISE = 'ent-331124-huang-jiefei';
const VILLAGE = '331124001201';
/** The fields the cases cover (their ids are found once the stack runs). */
const FIELDS = aliasCases(new Proxy({} as CaseIds, { get: () => ['', ''] })).map((c) => c.field);

beforeAll(async () => {
  stack = await bootStack({ scopes: [COUNTY, WORKSHOPS] });
  apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
  cases = aliasCases(await findIds());
});
afterAll(async () => {
  await apollo?.close();
  await stack?.close();
});

type Data = Record<string, unknown>;

/** Two of each kind of record of the seeded county, found through the graph. */
async function findIds(): Promise<CaseIds> {
  const ids = (path: string) => (edges: { node: Data }[]) =>
    edges.map((e) => String(e.node[path])) as [string, string];
  const page = (root: string, key = 'id') => `${root} { edges { node { ${key} } } }`;
  const res = await stack.query<Record<string, { edges: { node: Data }[] } | Data>>(`{
    r: region(code: "${COUNTY}") { children { code } }
    ${page(`villages(filter: { regionCode: "${COUNTY}" }, first: 2)`, 'code')}
    ${page(`auditoriums(filter: { regionCode: "${COUNTY}" }, first: 2)`)}
    ${page('digitalResources(first: 2)')}
    ${page(`enterprises(regionCode: "${COUNTY}", first: 2)`)}
    ${page(`ecommerceParks(regionCode: "${COUNTY}", first: 2)`)}
    ${page(`facilities(regionCode: "${COUNTY}", first: 2)`)}
    s: villages(filter: { regionCode: "${COUNTY}" }, first: 40) { edges { node {
      commerce { stores(first: 1) { edges { node { id } } } }
      healthcare { assistancePoints { id } } } } } }`);
  expect(res.body.errors).toBeUndefined();
  const d = res.body.data! as Record<string, { edges: { node: Data }[] }> & Data;
  const nodes = d.s.edges.map((e) => e.node) as {
    commerce: { stores: { edges: { node: { id: string } }[] } } | null;
    healthcare: { assistancePoints: { id: string }[] } | null;
  }[];
  const two = (xs: string[]) => xs.slice(0, 2) as [string, string];
  return {
    county: COUNTY,
    workshops: WORKSHOPS,
    townships: two(
      (d.r as unknown as { children: { code: string }[] }).children.map((c) => c.code),
    ),
    villages: ids('code')(d.villages.edges),
    auditoriums: ids('id')(d.auditoriums.edges),
    resources: ids('id')(d.digitalResources.edges),
    enterprises: ids('id')(d.enterprises.edges),
    parks: ids('id')(d.ecommerceParks.edges),
    facilities: ids('id')(d.facilities.edges),
    stores: two(nodes.flatMap((n) => n.commerce?.stores.edges.map((e) => e.node.id) ?? [])),
    points: two(nodes.flatMap((n) => n.healthcare?.assistancePoints.map((p) => p.id) ?? [])),
  };
}

/** What a caller sees: data, and errors by code and path (messages may differ by engine). */
function seen(res: GraphQLResponse) {
  return {
    status: res.status,
    data: res.body.data,
    errors: res.body.errors
      ?.map((e) => ({ code: e.extensions?.code, path: e.path }))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
  };
}

/**
 * The answers of the alone documents as one answer (their aliases never collide). Where one of
 * them failed, an error's null reaches up to a parent the aliases share: null there together.
 */
function merged(answers: ReturnType<typeof seen>[], nullWins = false): ReturnType<typeof seen> {
  const errors = answers.flatMap((a) => a.errors ?? []);
  const wins = nullWins || errors.length > 0;
  return {
    status: Math.max(...answers.map((a) => a.status)),
    data: answers.map((a) => a.data as unknown).reduce((x, y) => merge(x, y, wins)) as Data,
    errors: errors.length
      ? errors.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))
      : undefined,
  };
}

function merge(x: unknown, y: unknown, nullWins: boolean): unknown {
  if (nullWins && (x === null || y === null)) return null;
  if (Array.isArray(x) && Array.isArray(y)) return x.map((v, i) => merge(v, y[i], nullWins));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const out: Data = { ...(x as Data) };
    for (const [k, v] of Object.entries(y as Data)) {
      out[k] = k in out ? merge(out[k], v, nullWins) : v;
    }
    return out;
  }
  return x ?? y;
}

const engines = () => [
  { name: 'hive-router', query: stack.query },
  { name: 'apollo', query: apollo.query },
];

describe('a field asked twice with different arguments answers each alias as alone', () => {
  it('covers every readable field that takes arguments', () => {
    const covered = new Set(cases.map((c) => c.field));
    const withArgs = Object.values(schema.getTypeMap()).flatMap((t) =>
      'getFields' in t && !t.name.startsWith('__') && t.name !== 'Mutation'
        ? Object.values(t.getFields())
            .filter((f) => 'args' in f && f.args.length > 0)
            .filter(
              (f) =>
                !f.astNode?.directives?.some((d: DirectiveNode) => d.name.value === 'inaccessible'),
            )
            .map((f) => `${t.name}.${f.name}`)
        : [],
    );
    expect(withArgs.filter((f) => !covered.has(f))).toEqual([]);
  });

  it.each(FIELDS)('%s', checkCase);
});

// Last: it writes (stores of the enterprise and village the read cases ask about).
describe('a mutation field asked twice with different inputs', () => {
  it('answers each after its own write, on both engines', async () => {
    const read =
      'id enterprise { stores(first: 50) { totalCount } } village { commerce { storeCount } }';
    const register = (alias: string) =>
      `${alias}: registerOnlineStore(input: { name: "Shop ${alias}", villageCode: "${VILLAGE}",
        platform: JD, category: TEA, openedOn: "2021-01-01", jobs: 1,
        enterpriseId: "${ENTERPRISE}" }) { ${read} }`;
    const counts = async () => {
      const res =
        await stack.query<Data>(`{ enterprise(id: "${ENTERPRISE}") { stores { totalCount } }
        village(code: "${VILLAGE}") { commerce { storeCount } } }`);
      return res.body.data as { enterprise: Data; village: Data };
    };
    for (const engine of engines()) {
      const before = await counts();
      const n = (before.enterprise.stores as { totalCount: number }).totalCount;
      const m = (before.village.commerce as { storeCount: number }).storeCount;
      const res = await engine.query(
        `mutation { ${register('a')} ${register('b')} }`,
        undefined,
        stack.steward,
      );
      expect(res.body.errors, engine.name).toBeUndefined();
      const { a, b } = res.body.data as Record<'a' | 'b', Data>;
      // The second field's answer was the first's (the loaders' cache from before its write).
      expect({ ...a, id: 0 }, engine.name).toEqual({
        id: 0,
        enterprise: { stores: { totalCount: n + 1 } },
        village: { commerce: { storeCount: m + 1 } },
      });
      expect({ ...b, id: 0 }, engine.name).toEqual({
        id: 0,
        enterprise: { stores: { totalCount: n + 2 } },
        village: { commerce: { storeCount: m + 2 } },
      });
    }
  });
});

/** The variants also asked with a page after a cursor. */
const AFTER = ['two aliases', 'two parents', 'the same parent under two aliases'];

/** The first non-null `endCursor` of an answer, depth first. */
function endCursorIn(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { endCursor } = data as { endCursor?: unknown };
  if (typeof endCursor === 'string') return endCursor;
  for (const v of Object.values(data)) {
    const found = endCursorIn(v);
    if (found) return found;
  }
  return undefined;
}

/** Every variant of the field's case on both engines, all at once. */
async function checkCase(field: string) {
  const c = cases.find((x) => x.field === field)!;
  await Promise.all(
    engines().map(async (engine) => {
      // The two argument lists must answer differently, or a mix-up could not be seen.
      const name = c.field.split('.')[1];
      const [a, b] = await Promise.all(
        c.args.map((args) => engine.query(`{ ${c.parent(`x: ${name}(${args}) ${c.select}`)} }`)),
      );
      expect(seen(a).errors, `${c.field} ${engine.name}`).toBeUndefined();
      expect(seen(b).errors, `${c.field} ${engine.name}`).toBeUndefined();
      if (!c.alike) expect(a.body.data).not.toEqual(b.body.data);
      // The variants share their alone documents: each is asked once.
      const asked = new Map<string, Promise<GraphQLResponse>>();
      const alone = (q: string) => asked.get(q) ?? asked.set(q, engine.query(q)).get(q)!;
      if (c.bad) {
        const refused = await alone(`{ ${c.parent(`b: ${name}(${c.bad}) ${c.select}`)} }`);
        expect(
          seen(refused).errors?.map((e) => e.code),
          `${c.field} ${engine.name}`,
        ).toContain('BAD_USER_INPUT');
      }
      // A page after a cursor (the first page's end) beside the first page, for paged fields.
      const cursor = c.select.includes('endCursor') ? endCursorIn(a.body.data) : undefined;
      const next = cursor && c.args[0].replace(/first: \d+/, `first: 2, after: "${cursor}"`);
      const paged = next
        ? variants({ ...c, args: [c.args[0], next] }, schema).filter((v) => AFTER.includes(v.name))
        : [];
      await Promise.all(
        [...variants(c, schema), ...paged].map(async (v) => {
          const [together, ...answers] = await Promise.all([
            engine.query(v.query, v.variables),
            ...v.alone.map(alone),
          ]);
          expect
            .soft(seen(together), `${c.field} on ${engine.name}: ${v.name}\n${v.query}`)
            .toEqual(merged(answers.map(seen), v.nullWins));
        }),
      );
    }),
  );
}
