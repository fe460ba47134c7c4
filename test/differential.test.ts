import { createGatewayRuntime } from '@graphql-hive/gateway';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStack, type Stack } from './support/stack.js';
import { postGraphQL, type GraphQLResponse } from './support/subgraph.js';

/**
 * Serves the committed supergraph with a second, independent federation implementation (Hive
 * Gateway) in front of the same subgraphs, and checks both gateways answer alike: the same
 * `data`, and errors with the same codes at the same paths. Messages may differ (masking).
 */
let stack: Stack;
let hive: { url: string; close: () => Promise<void> };

// Hive Gateway registers SIGINT and SIGTERM listeners once per process, to dispose its
// runtimes, and keeps them after `dispose()`: left behind, they would make this worker ignore
// the SIGTERM vitest stops it with. Those it added are taken off again on close.
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function startHive(subgraphUrls: Record<string, string>) {
  const ours = SIGNALS.map((s) => new Set(process.listeners(s)));
  let supergraph = readFileSync('schema/supergraph.graphql', 'utf8');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    supergraph = supergraph.replace(
      new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]+(")`),
      `$1${url}$2`,
    );
  }
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    // Nothing leaves the machine: no usage reporting, no CDN landing page.
    reporting: undefined,
    landingPage: false,
    graphiql: false,
  });
  const server: Server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.dispose();
      SIGNALS.forEach((signal, i) => {
        for (const l of process.listeners(signal)) if (!ours[i].has(l)) process.off(signal, l);
      });
    },
  };
}

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  hive = await startHive(
    Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
  );
});
afterAll(async () => {
  await hive?.close();
  await stack?.close();
});

function comparable(res: GraphQLResponse) {
  return {
    data: res.body.data,
    errors: res.body.errors?.map((e) => ({ code: e.extensions?.code, path: e.path })),
  };
}

async function both(query: string, variables?: Record<string, unknown>) {
  const [ours, theirs] = await Promise.all([
    stack.query(query, variables),
    postGraphQL(hive.url, query, variables),
  ]);
  return { ours: comparable(ours), theirs: comparable(theirs) };
}

const VILLAGE = '331124001201';
const PROVENANCE = 'provenance { kind source asOf note }';

/** Ids of one auditorium, facility and store, found through the graph itself. */
async function someIds() {
  const res = await stack.query<{
    villages: {
      edges: {
        node: {
          culture: { auditorium: { id: string } | null } | null;
          healthcare: { clinic: { id: string } | null } | null;
          commerce: { stores: { edges: { node: { id: string } }[] } } | null;
        };
      }[];
    };
  }>(`{ villages(filter: { regionCode: "331124" }, first: 100) { edges { node {
      culture { auditorium { id } } healthcare { clinic { id } } commerce { stores(first: 1) { edges { node { id } } } } } } } }`);
  const nodes = res.body.data!.villages.edges.map((e) => e.node);
  return {
    auditorium: nodes.find((n) => n.culture?.auditorium)?.culture?.auditorium?.id,
    facility: nodes.find((n) => n.healthcare?.clinic)?.healthcare?.clinic?.id,
    store: nodes.find((n) => n.commerce?.stores.edges.length)?.commerce?.stores.edges[0].node.id,
  };
}

const OPERATIONS: [string, string, Record<string, unknown>?][] = [
  [
    'village profile across all four subgraphs',
    `query($code: ID!) { village(code: $code) { code name kind
        township { code name level } county { code name } city { code } province { code name }
        culture { auditorium { id name villageCode services digitalServiceHub yearOpened ${PROVENANCE} } }
        healthcare { clinic { id name level villageCode regionCode ${PROVENANCE} } }
        commerce { storeCount stores { id name platform category ${PROVENANCE} } } } }`,
    { code: VILLAGE },
  ],
  [
    'villages page with cursors and contributed fields',
    `{ villages(filter: { regionCode: "331124" }, first: 7) { totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { code name culture { auditorium { name } } commerce { storeCount } } } } }`,
  ],
  [
    'region with parent, children and rollup counts',
    `{ region(code: "331124") { code name level villageCount ruralVillageCount ${PROVENANCE}
        parent { code name level parent { code name } }
        children { code name level villageCount ruralVillageCount } } }`,
  ],
  [
    "region's villages of one kind, with contributed fields",
    `query($after: String) { region(code: "331124001") { villages(kind: RURAL_VILLAGE, first: 3, after: $after) {
        totalCount edges { node { code kind healthcare { clinic { level } } } } pageInfo { hasNextPage } } } }`,
    { after: null },
  ],
  ['all provinces', '{ provinces { code name level } }'],
  ['malformed village code: BAD_USER_INPUT', '{ village(code: "not-a-code") { code name } }'],
  ['malformed region code: BAD_USER_INPUT', '{ region(code: "12345") { code } }'],
  ['unknown village: null without errors', '{ village(code: "339999999999") { code } }'],
  ['validation failure', '{ village(code: "331124001201") { code doesNotExist } }'],
  [
    'two root fields from two subgraphs',
    `{ a: village(code: "331124001201") { name } b: region(code: "3311") { name } }`,
  ],
];

describe('differential check against Hive Gateway on the committed supergraph', () => {
  it.each(OPERATIONS)('%s', async (_label, query, variables) => {
    const { ours, theirs } = await both(query, variables);
    expect(ours).toEqual(theirs);
    expect(ours.data ?? ours.errors).toBeTruthy();
  });

  it('entity lookups by id in culture, healthcare and commerce', async () => {
    const ids = await someIds();
    expect(ids.auditorium && ids.facility && ids.store).toBeTruthy();
    const query = `query($a: ID!, $f: ID!, $s: ID!) {
      auditorium(id: $a) { id name villageCode services ${PROVENANCE} }
      facility(id: $f) { id name level regionCode ${PROVENANCE} }
      onlineStore(id: $s) { id name villageCode platform category ${PROVENANCE} }
      missing: auditorium(id: "no-such-auditorium") { id } }`;
    const { ours, theirs } = await both(query, {
      a: ids.auditorium,
      f: ids.facility,
      s: ids.store,
    });
    expect(ours.errors).toBeUndefined();
    expect(ours).toEqual(theirs);
  });

  it('paging further with the cursor one gateway returned gives the same page on both', async () => {
    const first = await stack.query<{ villages: { pageInfo: { endCursor: string } } }>(
      '{ villages(filter: { regionCode: "331124" }, first: 5) { pageInfo { endCursor } } }',
    );
    const after = first.body.data!.villages.pageInfo.endCursor;
    const { ours, theirs } = await both(
      `query($after: String) { villages(filter: { regionCode: "331124" }, first: 5, after: $after) {
          edges { node { code name } } pageInfo { hasNextPage } } }`,
      { after },
    );
    expect((ours.data as { villages: { edges: unknown[] } }).villages.edges).toHaveLength(5);
    expect(ours).toEqual(theirs);
  });
});
