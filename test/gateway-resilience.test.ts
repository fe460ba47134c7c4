import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rngFor } from '../subgraphs/shared/synthetic.js';
import { startFaultProxy, type FaultProxy } from './support/faults.js';
import { bootStack, type Stack } from './support/stack.js';

// Haishu district: Houcang village is served by all four subgraphs.
const PROFILE = `query Profile($code: ID!) {
  village(code: $code) {
    name
    county { name }
    culture { auditorium { name } }
    healthcare { __typename }
    commerce { __typename }
  }
}`;
const HOUCANG = '330203009205';
let stack: Stack;
let culture: FaultProxy;
let base: string;
beforeAll(async () => {
  stack = await bootStack({
    scopes: ['330203'],
    env: {
      SUBGRAPH_TIMEOUT_MS: '1500',
      SUBGRAPH_RETRIES: '1',
      SUBGRAPH_RETRY_BACKOFF_MS: '5',
      BREAKER_FAILURE_THRESHOLD: '3',
      BREAKER_RESET_MS: '3000',
    },
    subgraphUrl: async (name, url) => {
      if (name !== 'culture') return url;
      culture = await startFaultProxy(url);
      return culture.url;
    },
  });
  base = `http://127.0.0.1:${stack.gateway.port}/graphql`;
  // Warm every subgraph up, so that the short timeout above only ever hits the hung one. Until
  // it answers in full: a cold subgraph's first answer outlasted 1.5 s twice at load 29 (an
  // open breaker refuses the next tries until its reset, a trial then closes it).
  const deadline = Date.now() + 60_000;
  while ((await stack.query(PROFILE, { code: HOUCANG })).body.errors) {
    if (Date.now() > deadline) throw new Error('the stack did not answer in full within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 240_000);
afterAll(async () => {
  await stack?.close();
  await culture?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
const codeOf = async (res: Response) =>
  ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code;

describe('operation limits', () => {
  it('rejects abusive requests with a 4xx and a stable code, and keeps serving', async () => {
    const deep = `{ village(code: "${HOUCANG}") { county { ${'parent { '.repeat(18)}name${' }'.repeat(18)} } } }`;
    const aliases = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: provinces { name }`).join(' ')} }`;
    const costly = `{ villages(first: 100) { edges { node { county { children { villages(first: 100) {
      edges { node { name culture { auditorium { name } } } } } } } } } } }`;
    const cases: [string, string | Buffer, number, string][] = [
      ['depth 20', JSON.stringify({ query: deep }), 400, 'DEPTH_LIMIT_EXCEEDED'],
      ['500 aliases', JSON.stringify({ query: aliases }), 400, 'ALIAS_LIMIT_EXCEEDED'],
      ['cost', JSON.stringify({ query: costly }), 400, 'COST_LIMIT_EXCEEDED'],
      [
        'directives',
        JSON.stringify({ query: `{ provinces ${'@include(if: true) '.repeat(60)}{ name } }` }),
        400,
        'DIRECTIVE_LIMIT_EXCEEDED',
      ],
      [
        'tokens',
        JSON.stringify({ query: `{ provinces { ${'name '.repeat(6000)} } }` }),
        400,
        'TOKEN_LIMIT_EXCEEDED',
      ],
      [
        '5 MB body',
        JSON.stringify({ query: '{ provinces { name } }', pad: 'x'.repeat(5_000_000) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['malformed JSON', '{"query": "{ provinces { name } }"', 400, 'BAD_REQUEST'],
      [
        'syntax error',
        JSON.stringify({ query: '{ provinces { name }' }),
        400,
        'GRAPHQL_PARSE_FAILED',
      ],
      ['not an object', '"just a string"', 400, 'BAD_REQUEST'],
      ['batch', JSON.stringify([{ query: '{ provinces { name } }' }]), 400, 'BATCHING_NOT_ALLOWED'],
      ['unknown field', JSON.stringify({ query: '{ nope }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [label, body, status, code] of cases) {
      const res = await post(body as string);
      expect({ label, status: res.status, code: await codeOf(res) }).toEqual({
        label,
        status,
        code,
      });
    }
    const ok = await stack.query(PROFILE, { code: HOUCANG });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(base, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    // The test stack allows no origin: nothing is granted.
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention on', async () => {
    const res = await fetch(`${base}?query=${encodeURIComponent('{ provinces { name } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    const ok = await fetch(`${base}?query=${encodeURIComponent('{ provinces { code } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });
});

describe('fuzzing', () => {
  it('never answers a 5xx or leaks internals for random input (seeded)', async () => {
    const rng = rngFor(20261128, 'gateway-fuzz');
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
    const words = [
      'village',
      'villages',
      'region',
      'provinces',
      'code',
      'name',
      'county',
      'culture',
      'auditorium',
      'edges',
      'node',
      'first',
      '__schema',
      '__typename',
      'query',
      'mutation',
      'fragment',
      'on',
      '...',
      '{',
      '}',
      '(',
      ')',
      ':',
      '$',
      '"',
      '@include',
      'if',
      '!',
      '[',
      ']',
      '100',
      '-1',
      '1e309',
      'null',
      'true',
      '\\u0000',
      '#',
      ',',
      '=',
      '"""',
    ];
    const randomDoc = () =>
      Array.from({ length: 1 + Math.floor(rng() * 40) }, () => pick(words)).join(
        pick([' ', '', '\n']),
      );
    const generated = () => {
      const field = (d: number): string =>
        d > 3
          ? pick(['name', 'code', '__typename', 'nope'])
          : pick([
              `village(code: "${pick([HOUCANG, 'x', '', '330203999999'])}") { ${field(d + 1)} }`,
              `villages(first: ${pick([0, 1, 5, 100, 101, -1])}) { edges { node { ${field(d + 1)} } } }`,
              `provinces { ${field(d + 1)} children { name } }`,
              `culture { auditorium { name } }`,
              'name',
            ]);
      return `{ ${Array.from({ length: 1 + Math.floor(rng() * 3) }, () => field(0)).join(' ')} }`;
    };
    const randomBody = () =>
      pick([
        () => JSON.stringify({ query: randomDoc() }),
        () => JSON.stringify({ query: generated() }),
        () => JSON.stringify({ query: generated(), variables: pick([null, [], 'x', { code: 1 }]) }),
        () =>
          JSON.stringify({ query: pick([1, null, [], {}]), operationName: pick([1, 'X', null]) }),
        () =>
          JSON.stringify({
            extensions: {
              persistedQuery: { version: 1, sha256Hash: pick(['', 'zz', '0'.repeat(64)]) },
            },
          }),
        () => randomDoc(),
        () => String.fromCharCode(...Array.from({ length: 30 }, () => Math.floor(rng() * 256))),
      ])();
    for (let i = 0; i < 300; i++) {
      const body = randomBody();
      const res = await post(body);
      const text = await res.text();
      expect({ body, status: res.status < 500 }).toEqual({ body, status: true });
      expect(text).not.toMatch(
        /\bat .*\.(ts|js):\d+|127\.0\.0\.1|localhost|SELECT |Internal server error/,
      );
    }
  });
});

describe('a failing subgraph', () => {
  it("keeps the other subgraphs' data when one is killed, and recovers when it returns", async () => {
    culture.mode = 'down';
    const res = await stack.query(PROFILE, { code: HOUCANG });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        village: {
          name: '后仓村村委会',
          county: { name: '海曙区' },
          culture: null,
          healthcare: { __typename: 'VillageHealthcare' },
          commerce: { __typename: 'VillageCommerce' },
        },
      },
      errors: [
        {
          message: 'A part of the graph is unavailable right now.',
          path: ['village', 'culture'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        },
      ],
    });
  });

  it('bounds a hung subgraph by its timeout, then stops calling it once the breaker opens', async () => {
    culture.mode = 'hang';
    // Each hung call ends at the timeout (the test would time out otherwise) with the error.
    for (let i = 0; i < 3; i++) {
      const res = await stack.query(PROFILE, { code: HOUCANG });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    }
    // The breaker is open: the next answers do not reach the subgraph at all.
    culture.requests = { query: 0, mutation: 0 };
    for (let i = 0; i < 5; i++) {
      const res = await stack.query(PROFILE, { code: HOUCANG });
      expect(res.body.data?.village).toMatchObject({ name: '后仓村村委会', culture: null });
    }
    expect(culture.requests.query).toBe(0);
    // The subgraph comes back: after the reset time a trial call closes the breaker.
    culture.mode = 'pass';
    const deadline = Date.now() + 10_000;
    let recovered;
    do {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await stack.query(PROFILE, { code: HOUCANG });
    } while (recovered.body.errors && Date.now() < deadline);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data?.village).toMatchObject({
      culture: { auditorium: expect.anything() },
    });
  });
});
