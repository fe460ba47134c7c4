import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupergraphInfo } from '../bench/selection.js';
import { WORKLOADS, type WorkloadContext } from '../bench/workloads.js';
import { bootStack, type ExtraGateway, type Stack } from './support/stack.js';

/**
 * The two engines behind Apollo Server (gateway/engine/engine.ts) answer alike: the default
 * (`hive-router`, the Rust query planner of @graphql-hive/router-runtime) and `apollo`
 * (@apollo/gateway), each over the same subgraphs, keys and pipeline. Compared: status, `data`,
 * error codes and paths, and the Cache-Control header the response cache relies on — for the
 * benchmark's operations, region figures, partial failures, refused writes and a write.
 */
let stack: Stack;
let apollo: ExtraGateway;
let hiveUrl: string;

beforeAll(async () => {
  stack = await bootStack({ scopes: ['331124'] });
  hiveUrl = `http://127.0.0.1:${stack.gateway.port}/graphql`;
  apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
});
afterAll(async () => {
  await apollo?.close();
  await stack?.close();
});

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: unknown;
    errors?: { path?: unknown; extensions?: { code?: unknown } }[];
  };
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    data: body.data,
    errors: body.errors?.map((e) => ({ code: e.extensions?.code, path: e.path })),
  };
}

async function both(
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
  urls: [string, string] = [hiveUrl, apollo.url],
) {
  const [hive, theirs] = await Promise.all(urls.map((u) => post(u, query, variables, headers)));
  return { hive, apollo: theirs };
}

const VILLAGE = '331124001201';

describe('the hive-router engine answers as @apollo/gateway does', () => {
  it('on every operation of the benchmark mix (profile, page of 20, ranking, overview)', async () => {
    const villages = await stack.query<{ villages: { edges: { node: { code: string } }[] } }>(
      '{ villages(filter: { regionCode: "331124" }, first: 20) { edges { node { code } } } }',
    );
    const ctx: WorkloadContext = {
      info: new SupergraphInfo(readFileSync('schema/supergraph.graphql', 'utf8')),
      data: {
        villageCodes: villages.body.data!.villages.edges.map((e) => e.node.code),
        countyCodes: ['331124'],
        cityCodes: ['3311'],
      },
    };
    const mix = WORKLOADS.find((w) => w.name === 'mix')!;
    for (let i = 0; i < 20; i++) {
      const op = mix.operation(ctx, i);
      const { hive, apollo: theirs } = await both(op.query, op.variables);
      expect(hive.errors, op.query.slice(0, 60)).toBeUndefined();
      expect(hive.data).toBeTruthy();
      expect(hive).toEqual(theirs);
    }
  });

  it('on region figures from three subgraphs at every level', async () => {
    for (const code of ['33', '3311', '331124', '331124001']) {
      const { hive, apollo: theirs } = await both(
        `query($code: ID!) { region(code: $code) { code name level villageCount
            children { code name culture { auditoriumCount coverage } }
            culture { auditoriumCount ruralVillagesCovered coverage provenance { kind source } }
            healthcare { facilities { villageClinics total } clinicAccess { shareWithin15Minutes } }
            commerce { stores { total } jobs { count } } } }`,
        { code },
      );
      expect(hive.errors).toBeUndefined();
      expect(hive).toEqual(theirs);
    }
  });

  it("on a ranked region's digital index under a culture or commerce ranking", async () => {
    // @apollo/gateway's planner asked the ranking's subgraph for the region's @external count
    // (gateway/engine/plan-repair.ts): null with SUBGRAPH_UNAVAILABLE, every subgraph up.
    for (const domain of ['commerce', 'culture']) {
      const by = domain === 'commerce' ? 'STORE_COUNT' : 'AUDITORIUM_COUNT';
      const { hive, apollo: theirs } = await both(`{ region(code: "33") { ${domain} {
        childRanking(by: ${by}) { rank region { code digitalIndex { score } } } } } }`);
      expect(hive.errors).toBeUndefined();
      expect(hive).toEqual(theirs);
    }
  });

  it('on errors: bad input, unknown fields, nulls and an unknown entity', async () => {
    for (const query of [
      '{ village(code: "not-a-code") { code name } }',
      '{ village(code: "339999999999") { code culture { auditorium { name } } } }',
      `{ village(code: "${VILLAGE}") { code doesNotExist } }`,
      '{ a: village(code: "331124001201") { name } b: region(code: "12345") { name } }',
      '{ auditorium(id: "no-such-auditorium") { id name } }',
    ]) {
      const { hive, apollo: theirs } = await both(query);
      expect(hive.data ?? hive.errors).toBeTruthy();
      expect(hive).toEqual(theirs);
    }
  });

  it('on an explicit null for a condition variable that has a default (it was a 500)', async () => {
    for (const directive of ['skip', 'include']) {
      const query = `query($s: Boolean = true) {
        provinces { code name @${directive}(if: $s) } }`;
      const { hive, apollo: theirs } = await both(query, { s: null });
      // The caller's error, refused before either engine runs it (it was HTTP 500 from this
      // engine, and INTERNAL_SERVER_ERROR per province from @apollo/gateway).
      expect(hive.status).toBe(400);
      expect(hive.errors).toEqual([{ code: 'BAD_USER_INPUT', path: undefined }]);
      expect(hive).toEqual(theirs);
      // Left out, the default applies.
      const omitted = await both(query, {});
      expect(omitted.hive.errors).toBeUndefined();
      expect(omitted.hive).toEqual(omitted.apollo);
    }
  });

  it('when a subgraph is down: the same SUBGRAPH_UNAVAILABLE paths and the same data', async () => {
    const down = 'http://127.0.0.1:9/graphql'; // nothing listens on the discard port
    const [hiveDown, apolloDown] = await Promise.all([
      stack.extraGateway({ SUBGRAPH_RETRIES: '0' }, { culture: down }),
      stack.extraGateway({ GATEWAY_ENGINE: 'apollo', SUBGRAPH_RETRIES: '0' }, { culture: down }),
    ]);
    try {
      for (const query of [
        `{ village(code: "${VILLAGE}") { name culture { auditorium { name } } healthcare { clinic { name } } } }`,
        '{ villages(filter: { regionCode: "331124" }, first: 3) { edges { node { code culture { auditorium { name } } } } } }',
        '{ region(code: "331124") { name culture { auditoriumCount } commerce { stores { total } } } }',
        // The root __typename went with culture's fetch: it was an error, and data null.
        '{ auditorium(id: "a-1") { name } __typename ... { t: __typename } }',
      ]) {
        const { hive, apollo: theirs } = await both(query, undefined, undefined, [
          hiveDown.url,
          apolloDown.url,
        ]);
        expect(hive.errors?.[0]?.code).toBe('SUBGRAPH_UNAVAILABLE');
        expect(hive).toEqual(theirs);
      }
    } finally {
      await Promise.all([hiveDown.close(), apolloDown.close()]);
    }
  });

  it('when places is down: a non-null Village makes its nullable parent null, as the spec says', async () => {
    const down = 'http://127.0.0.1:9/graphql';
    const [hiveDown, apolloDown] = await Promise.all([
      stack.extraGateway({ SUBGRAPH_RETRIES: '0' }, { places: down }),
      stack.extraGateway({ GATEWAY_ENGINE: 'apollo', SUBGRAPH_RETRIES: '0' }, { places: down }),
    ]);
    try {
      const query = `{ enterprise(id: "ent-331124001218") { id
        stores(first: 2) { edges { node { id village { name } } } } } }`;
      const { hive, apollo: theirs } = await both(query, undefined, undefined, [
        hiveDown.url,
        apolloDown.url,
      ]);
      // OnlineStore.village is Village!: it was null in place with the Rust runtime.
      expect(hive.data).toEqual({ enterprise: null });
      expect(hive).toEqual(theirs);
    } finally {
      await Promise.all([hiveDown.close(), apolloDown.close()]);
    }
  });

  it("when places does not know a store's village: the store is null, as @apollo/gateway has it", async () => {
    // A real stand-in before places asks it for a village code it does not know (divisions are
    // re-coded over the years): places answers that entity null, without an error. The Rust
    // runtime left it in place, OnlineStore.village: Village! as null, with no error to see.
    const stale = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks)
          .toString('utf8')
          .replaceAll('331124001200', '331124999999');
        const headers = { ...req.headers } as Record<string, string>;
        delete headers.host;
        delete headers['content-length'];
        void fetch(stack.subgraphs.places.url, { method: 'POST', headers, body })
          .then(async (a) =>
            res.writeHead(a.status, { 'content-type': 'application/json' }).end(await a.text()),
          )
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((r) => stale.listen(0, '127.0.0.1', r));
    const places = `http://127.0.0.1:${(stale.address() as AddressInfo).port}/graphql`;
    const [hiveStale, apolloStale] = await Promise.all([
      stack.extraGateway({}, { places }),
      stack.extraGateway({ GATEWAY_ENGINE: 'apollo' }, { places }),
    ]);
    try {
      const store = (id: string) => `onlineStore(id: "${id}") { id village { code name } }`;
      const urls: [string, string] = [hiveStale.url, apolloStale.url];
      const one = await both(`{ ${store('store-331124001200-1')} }`, undefined, undefined, urls);
      expect(one.apollo.data).toEqual({ onlineStore: null });
      expect(one.hive.data).toEqual(one.apollo.data);
      // Two stores' villages in one batched fetch (`_e0: _entities(…)`), one of them unknown.
      const two = `{ a: ${store('store-331124001200-1')} b: ${store('store-331124001218-8')} }`;
      const batched = await both(two, undefined, undefined, urls);
      expect(batched.apollo.data).toMatchObject({
        a: null,
        b: { village: { code: '331124001218' } },
      });
      expect(batched.hive.data).toEqual(batched.apollo.data);
    } finally {
      await Promise.all([hiveStale.close(), apolloStale.close()]);
      stale.close();
    }
  });

  it('GATEWAY_ENGINE=apollo plans off the event loop too, bounded by PLAN_TIMEOUT_MS', async () => {
    const hurried = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo', PLAN_TIMEOUT_MS: '1' });
    try {
      const late = await post(
        hurried.url,
        `{ village(code: "${VILLAGE}") { name culture { auditorium { name } } healthcare { clinic { name } } } }`,
      );
      expect(late.status).toBe(400);
      expect(late.errors?.map((e) => e.code)).toEqual(['PLANNING_TIMEOUT']);
    } finally {
      await hurried.close();
    }
  });

  it('GATEWAY_ENGINE=apollo answers a burst of one new document from one caller', async () => {
    const query = `query Burst${Date.now()} { village(code: "${VILLAGE}") { name } }`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(apollo.url, query)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
  });

  it('GATEWAY_ENGINE=apollo answers a burst of distinct new documents from one caller', async () => {
    // A page's first load: a dozen documents at once, each new to the planner (it answered all
    // but the first three or four PLANNING_TIMEOUT, which the default engine never does).
    const tag = Date.now();
    const queries = Array.from(
      { length: 12 },
      (_, i) => `query Page${tag}_${i} { village(code: "${VILLAGE}") { name county { name } } }`,
    );
    const answers = await Promise.all(queries.map((q) => post(apollo.url, q)));
    expect(answers.map((a) => a.errors?.[0]?.code ?? a.status)).toEqual(Array(12).fill(200));
  });

  it('on writes: the same refusal without the scope, and the same answer with it', async () => {
    const report = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { storeId month orders revenue { amount currency } } }`;
    const input = {
      storeId: 'store-331124001200-2',
      month: '2021-07',
      orders: 3,
      revenue: '30.00',
    };
    const refused = await both(report, { i: input });
    expect(refused.hive.status).toBeGreaterThanOrEqual(400);
    expect(refused.hive).toEqual(refused.apollo);
    // Reporting the same month again replaces it, so both engines may write the same report.
    const written = await both(report, { i: input }, stack.steward);
    expect(written.hive.errors).toBeUndefined();
    expect(written.hive).toEqual(written.apollo);
  });
});
