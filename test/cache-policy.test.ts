import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { buildSchema, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import {
  answerNotCacheable,
  cachePolicyPlugins,
  hasCacheControlHints,
} from '../subgraphs/shared/cache-policy.js';
import { printFederatedSdl } from '../subgraphs/shared/schema.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { SUBGRAPHS } from '../scripts/subgraphs.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

/**
 * The subgraphs' Cache-Control (subgraphs/shared/cache-policy.ts) is computed from the operation
 * alone; it must be what Apollo Server's per-field cache-control plugin (with mutations made
 * uncacheable, as the subgraphs had it) answers, header for header, for every kind of operation.
 */

/**
 * The subgraphs' former set-up: Apollo's plugin, and mutations never cacheable. (The former
 * mutation guard read `operation.operation` unguarded: Apollo calls executionDidStart without an
 * operation for a document of several operations and no operationName, and that request got a
 * 500. Here it is guarded, as the comparison needs.)
 */
function apolloReference(defaultMaxAge: number): ApolloServerPlugin<BaseContext>[] {
  return [
    ApolloServerPluginCacheControl({ defaultMaxAge }),
    {
      async requestDidStart() {
        return {
          async executionDidStart({ operation, overallCachePolicy }) {
            if (operation?.operation !== 'query') overallCachePolicy.restrict({ maxAge: 0 });
          },
        };
      },
    },
  ];
}

function servers(schema: GraphQLSchema, defaultMaxAge: number, rootValue?: unknown) {
  const reference = new ApolloServer({
    schema,
    rootValue,
    plugins: apolloReference(defaultMaxAge),
  });
  const ours = new ApolloServer({
    schema,
    rootValue,
    plugins: cachePolicyPlugins(schema, defaultMaxAge),
  });
  return { reference, ours };
}

async function header(
  server: ApolloServer<BaseContext>,
  query: string,
  variables?: Record<string, unknown>,
  contextValue: BaseContext = {},
): Promise<string | undefined> {
  const res = await server.executeOperation({ query, variables }, { contextValue });
  return res.http.headers.get('cache-control');
}

describe('Cache-Control from the operation equals Apollo’s per-field answer', () => {
  const schema = buildSchema(`
    type Query { a(fail: Boolean): A, n: Int, list: [A!]!, feed: Int }
    type A { x: Int, b: A }
    type Mutation { m: A }
  `);
  const root = {
    a: ({ fail }: { fail?: boolean }) => {
      if (fail) throw new Error('failed');
      return { x: 1, b: null };
    },
    n: () => 7,
    list: () => [{ x: 1 }, { x: 2 }],
    m: () => ({ x: 3 }),
    // As the change feed: a value no write through this server would tell a cache to drop.
    feed: (_args: unknown, context: object, info: GraphQLResolveInfo) => {
      answerNotCacheable(context, info);
      return 1;
    },
  };
  const cases: [string, Record<string, unknown>?][] = [
    ['{ a { x } }'],
    ['{ n }'],
    ['{ list { x b { x } } }'],
    ['{ __typename }'],
    ['{ t: __typename }'],
    ['{ __schema { queryType { name } } }'],
    ['{ __type(name: "A") { name } n }'],
    ['{ a @skip(if: true) { x } __typename }'],
    ['query ($s: Boolean = true) { ... on Query { y: a @include(if: $s) { x } } }'],
    [
      'query ($s: Boolean) { ... on Query { y: a @include(if: $s) { x } } __typename }',
      { s: false },
    ],
    ['{ ...F } fragment F on Query { ...G } fragment G on Query { n }'],
    ['{ ...F } fragment F on Query { __typename }'],
    ['{ a(fail: true) { x } }'],
    ['{ a(fail: true) { x } n }'],
    ['{ nope }'],
    ['{ a { x }'],
    ['mutation { m { x } }'],
    ['mutation { __typename }'],
    ['query Q { n } query R { a { x } }'],
    ['{ constructor: a @skip(if: true) { x } toString: n @include(if: false) __typename }'],
    ['{ feed }'],
    ['{ n feed a { x } }'],
  ];
  for (const maxAge of [60, 0]) {
    const { reference, ours } = servers(schema, maxAge, root);
    beforeAll(async () => {
      await reference.start();
      await ours.start();
    });
    afterAll(async () => {
      await reference.stop();
      await ours.stop();
    });
    it.each(cases)(`default max age ${maxAge}: %s`, async (query, variables) => {
      const expected = await header(reference, query, variables);
      expect(await header(ours, query, variables)).toBe(expected);
    });
  }
  it('the reference answers both ways (the comparison can tell them apart)', async () => {
    const { reference } = servers(schema, 60, root);
    await reference.start();
    expect(await header(reference, '{ n }')).toBe('max-age=60, public');
    expect(await header(reference, '{ __typename }')).toBe('no-store');
    expect(await header(reference, '{ n feed }')).toBe('no-store');
    await reference.stop();
  });
});

describe('which policy a schema gets', () => {
  it.each(SUBGRAPHS.map((d) => [d.name, d] as const))(
    '%s declares no @cacheControl hint: the operation-level policy',
    async (_name, def) => {
      const schema = await def.buildSchema();
      expect(hasCacheControlHints(schema)).toBe(false);
      expect(printFederatedSdl(schema)).not.toMatch(/@cacheControl\b/);
    },
  );
  it('a schema with hints (on a type, a field, an extension) keeps Apollo’s plugin', () => {
    const directive =
      'directive @cacheControl(maxAge: Int, scope: String) on OBJECT | FIELD_DEFINITION';
    for (const sdl of [
      'type Query { a: A } type A @cacheControl(maxAge: 5) { x: Int }',
      'type Query { a: A } type A { x: Int @cacheControl(maxAge: 5) }',
      'type Query { a: A } type A { x: Int } extend type A @cacheControl(maxAge: 5)',
    ]) {
      expect(hasCacheControlHints(buildSchema(`${directive} ${sdl}`)), sdl).toBe(true);
    }
    expect(hasCacheControlHints(buildSchema(`${directive} type Query { n: Int }`))).toBe(false);
  });
});

describe('a subgraph over HTTP answers as Apollo’s plugin would', () => {
  let culture: BootedSubgraph;
  let reference: ApolloServer<BaseContext>;
  const HOUCANG = '331124001201';
  beforeAll(async () => {
    culture = await bootSubgraph(cultureSubgraph, { scopes: ['331124'] });
    reference = new ApolloServer({
      schema: await cultureSubgraph.buildSchema(),
      plugins: apolloReference(60),
    });
    await reference.start();
  }, 120_000);
  afterAll(async () => {
    await reference.stop();
    await culture?.close();
  });
  it.each([
    [`{ auditorium(id: "aud-${HOUCANG}") { name } }`],
    ['{ auditorium(id: "aud-none") { name } }'],
    ['{ _service { sdl } }'],
    ['{ __typename }'],
    [
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { culture { auditorium { name } } } } }',
    ],
    ['{ auditorium(id: 5) { name } }'],
  ])('%s', async (query) => {
    const variables = { r: [{ __typename: 'Village', code: HOUCANG }] };
    const res = await fetch(culture.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    await res.arrayBuffer();
    const contextValue = await cultureSubgraph.createContext(
      culture.started.orm.em.fork() as EntityManager,
      pino({ level: 'silent' }),
      { requestId: 'cache-policy-test', headers: {} },
      { peers: {}, sharedSecret: '' },
    );
    expect(res.headers.get('cache-control')).toBe(
      await header(reference, query, variables, contextValue),
    );
  });
});
