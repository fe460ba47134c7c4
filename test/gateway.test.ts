import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSqlCounts, sqlCounts } from './support/digital-index.js';
import { bootStack, type Stack } from './support/stack.js';

// Haishu district (Ningbo, home of Houcang village) and Songyang county (Lishui).
let stack: Stack;
beforeAll(async () => {
  stack = await bootStack({ scopes: ['330203', '331124'] });
});
afterAll(() => stack?.close());

const PROFILE = `query Profile($code: ID!) {
  village(code: $code) {
    code name kind
    township { name } county { name } city { name } province { name }
    culture { __typename } healthcare { __typename } commerce { __typename }
  }
}`;

describe('the federated village graph through the gateway', () => {
  it('answers a village profile from all four subgraphs', async () => {
    const res = await stack.query(PROFILE, { code: '330203009205' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        village: {
          code: '330203009205',
          name: '后仓村村委会',
          kind: 'RURAL_VILLAGE',
          township: { name: '石碶街道' },
          county: { name: '海曙区' },
          city: { name: '宁波市' },
          province: { name: '浙江省' },
          culture: { __typename: 'VillageCulture' },
          healthcare: { __typename: 'VillageHealthcare' },
          commerce: { __typename: 'VillageCommerce' },
        },
      },
    });
  });

  it('gives BAD_USER_INPUT for a malformed code and null for an unknown one', async () => {
    const bad = await stack.query(PROFILE, { code: 'not-a-code' });
    expect(bad.body.data).toEqual({ village: null });
    expect(bad.body.errors).toEqual([
      {
        message: '`code` must be a 12-digit village code.',
        path: ['village'],
        extensions: { code: 'BAD_USER_INPUT', field: 'code' },
      },
    ]);
    const unknown = await stack.query(PROFILE, { code: '330203999999' });
    expect(unknown.body).toEqual({ data: { village: null } });
  });

  it('rejects a page size over the maximum with BAD_USER_INPUT', async () => {
    const res = await stack.query('{ villages(first: 1000) { edges { cursor } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('issues a number of SQL statements per subgraph that does not grow with the page size', async () => {
    const page = (first: number) =>
      stack.query(
        `query($first: Int) { villages(filter: { regionCode: "331124", kind: RURAL_VILLAGE }, first: $first) {
          edges { node { code name culture { auditorium { name } } healthcare { clinic { name } }
            commerce { storeCount stores(first: 5) { edges { node { name } } } } } } } }`,
        { first },
      );
    const counts = async (first: number) => {
      resetSqlCounts(stack);
      const res = await page(first);
      expect(res.body.errors).toBeUndefined();
      const edges = (res.body.data as { villages: { edges: unknown[] } }).villages.edges;
      expect(edges).toHaveLength(first);
      return sqlCounts(stack);
    };
    const small = await counts(5);
    const large = await counts(100);
    expect(large).toEqual(small);
    for (const n of Object.values(large)) expect(n).toBeGreaterThan(0);
  });

  it('reports health and readiness', async () => {
    const base = `http://127.0.0.1:${stack.gateway.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('answers in application/graphql-response+json to a client that prefers it', async () => {
    const ask = (query: string) =>
      fetch(`http://127.0.0.1:${stack.gateway.port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json;q=0.9',
          origin: 'https://pages.example',
        },
        body: JSON.stringify({ query }),
      });
    for (const [query, status] of [
      ['{ village(code: "330203009205") { name } }', 200],
      ['{ village(code: "330203009205") { nope } }', 400],
    ] as const) {
      const res = await ask(query);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe(
        'application/graphql-response+json; charset=utf-8',
      );
      // Shared caches keep one answer per Origin and per Accept.
      expect(res.headers.get('vary')?.split(/,\s*/)).toEqual(
        expect.arrayContaining(['Origin', 'Accept']),
      );
    }
  });

  it('degrades to the other subgraphs when one is down, without internal details', async () => {
    await stack.subgraphs.culture.started.server.close();
    const res = await stack.query(PROFILE, { code: '330203009205' });
    expect(res.status).toBe(200);
    const village = (res.body.data as { village: Record<string, unknown> }).village;
    expect(village).toMatchObject({
      name: '后仓村村委会',
      culture: null,
      healthcare: { __typename: 'VillageHealthcare' },
      commerce: { __typename: 'VillageCommerce' },
    });
    expect(res.body.errors).toEqual([
      {
        message: 'A part of the graph is unavailable right now.',
        path: ['village', 'culture'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      },
    ]);
    // The path names the public field; nothing else names the subgraph or its address.
    expect(JSON.stringify(res.body.errors?.map(({ path: _, ...e }) => e))).not.toMatch(
      /127\.0\.0\.1|localhost|ECONNREFUSED|culture|stack/i,
    );
  });
});
