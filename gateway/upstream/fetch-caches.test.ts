import { getHeapStatistics } from 'node:v8';
import { buildASTSchema, parse } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.js';
import { SubgraphDataSource, type SubgraphPolicy } from './datasource.js';
import { KeyEchoes, echoKeys } from './key-echo.js';
import { ParsedFetches } from './parsed-fetches.js';

/**
 * FETCH_CACHE_MB sizes the gateway's caches of subgraph fetches: each subgraph's parsed fetches
 * (the shape check) and the key echo's rewritten entity fetches, shared by the subgraphs.
 */
const MB = 1024 * 1024;
const env = { NODE_ENV: 'development' };

const schema = buildASTSchema(
  parse(`
  directive @join__type(graph: String, key: String) repeatable on OBJECT
  type Village @join__type(graph: "PLACES", key: "code") { code: String! count: Int }
  type Query { village(code: String!): Village }
`),
  { assumeValidSDL: true },
);
/** A distinct entity fetch of some 30 KB of parsed tree (as documentBytes weighs it) per `i`. */
const entityFetch = (i: number) =>
  `query Q${i}($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Village { ${Array.from({ length: 20 }, (_, j) => `f${j}: count`).join(' ')} } } }`;
const reps = { representations: [{ __typename: 'Village', code: '1' }] };

const policy: SubgraphPolicy = {
  timeoutMs: 2_000,
  retries: 0,
  backoffMs: 1,
  breaker: { failureThreshold: 2, resetMs: 60_000 },
  sharedSecret: 's'.repeat(32),
  dedupe: true,
  maxSockets: 4,
  maxRequestBytes: 2_000,
};

describe('FETCH_CACHE_MB', () => {
  it('is 8 MiB unless set; a fraction is allowed; anything else is refused by name', () => {
    expect(loadGatewayConfig(env).fetchCacheBytes).toBe(8 * MB);
    expect(loadGatewayConfig({ ...env, FETCH_CACHE_MB: '2' }).fetchCacheBytes).toBe(2 * MB);
    expect(loadGatewayConfig({ ...env, FETCH_CACHE_MB: '0.5' }).fetchCacheBytes).toBe(MB / 2);
    for (const bad of ['0', '-1', 'lots']) {
      expect(() => loadGatewayConfig({ ...env, FETCH_CACHE_MB: bad }), bad).toThrow(
        /FETCH_CACHE_MB/,
      );
    }
  });

  it("bounds a subgraph source's parsed fetches at the size it is given", () => {
    const bound = MB;
    const source = new SubgraphDataSource({
      subgraph: 'places',
      url: 'http://127.0.0.1:9/graphql',
      policy: { ...policy, fetchCacheBytes: bound },
      log: pino({ level: 'silent' }),
    });
    expect(source.parsed.maxBytes).toBe(bound);
    for (let i = 0; i < 100; i++) source.parsed.get(entityFetch(i));
    expect(source.parsed.weight).toBeLessThanOrEqual(bound);
    expect(source.parsed.weight).toBeGreaterThan(bound / 2);
    expect(source.parsed.size).toBeLessThan(100);
    // Unset, the default: all 100 fit.
    const unbounded = new ParsedFetches();
    for (let i = 0; i < 100; i++) unbounded.get(entityFetch(i));
    expect(unbounded.size).toBe(100);
  });

  it('bounds the key echo at the size it is given', () => {
    const bound = MB;
    const echoes = new KeyEchoes(bound);
    for (let i = 0; i < 100; i++)
      expect(echoKeys(schema, entityFetch(i), reps, echoes)).toBeDefined();
    expect(echoes.texts.weight).toBeLessThanOrEqual(bound);
    expect(echoes.texts.weight).toBeGreaterThan(bound / 2);
    expect(echoes.texts.size).toBeLessThan(100);
    const roomy = new KeyEchoes();
    for (let i = 0; i < 100; i++) echoKeys(schema, entityFetch(i), reps, roomy);
    expect(roomy.texts.size).toBe(100);
  });

  it('refuses at start cache bounds the V8 heap cannot hold (a clear error, not a death later)', () => {
    const env = { NODE_ENV: 'test' };
    const heapMb = getHeapStatistics().heap_size_limit / 1024 / 1024;
    expect(() => loadGatewayConfig({ ...env, FETCH_CACHE_MB: String(Math.ceil(heapMb)) })).toThrow(
      /FETCH_CACHE_MB, DOCUMENT_CACHE_MB, RESPONSE_CACHE_MAX_MB: .*more than half the heap bound/,
    );
    expect(() => loadGatewayConfig({ ...env, FETCH_CACHE_MB: '1000000' })).toThrow(/heap bound/);
  });
});
