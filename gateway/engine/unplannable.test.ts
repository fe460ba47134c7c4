import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { GraphQLError, parse } from 'graphql';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readSupergraph } from '../../scripts/api-schema.js';
import { asEnforcedSupergraph } from './supergraph.js';
import { unplannablePositions, withUnplannableErrors, UNSUPPORTED_MESSAGE } from './unplannable.js';

// The planner @apollo/gateway runs, loaded as it loads it (fallback-planner.test.ts).
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const { QueryPlanner } = (await import(
  gatewayRequire.resolve('@apollo/query-planner')
)) as typeof import('@apollo/query-planner');

const sdl = asEnforcedSupergraph(readSupergraph());
const supergraph = Supergraph.build(sdl);
const planner = new QueryPlanner(supergraph);
const plan = (query: string) =>
  planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query)));
const ranked = (domain: string, by: string) =>
  `{ region(code: "33") { ${domain} { childRanking(by: ${by}) { rank region { code digitalIndex { score } } } } } }`;

describe('where a plan asks a subgraph for its own @external fields', () => {
  it("is a ranked region's digital index beside a commerce or culture ranking", () => {
    const at = ['region', 'commerce', 'childRanking', '@', 'region'];
    expect(unplannablePositions(plan(ranked('commerce', 'STORE_COUNT')), sdl)).toContainEqual(at);
    expect(unplannablePositions(plan(ranked('culture', 'AUDITORIUM_COUNT')), sdl)).toContainEqual([
      'region',
      'culture',
      'childRanking',
      '@',
      'region',
    ]);
  });

  it('is nowhere in the plans that fetch each field from the subgraph that holds it', () => {
    for (const query of [
      ranked('healthcare', 'FAMILY_DOCTOR_SHARE'),
      '{ region(code: "33") { digitalIndex { score } culture { coverage } commerce { stores { total } } } }',
      '{ region(code: "33") { childrenByIndex { rank region { code } } } }',
    ]) {
      expect(unplannablePositions(plan(query), sdl), query).toEqual([]);
    }
  });

  it("says SUBGRAPH_UNAVAILABLE there as PLANNING_UNSUPPORTED, and leaves the others' errors", () => {
    const unavailable = (path: (string | number)[]) =>
      new GraphQLError('A part of the graph is unavailable right now.', {
        path,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      });
    const errors = [
      unavailable(['region', 'commerce', 'childRanking', 0, 'region']),
      unavailable(['region', 'culture']),
      new GraphQLError('no', { path: ['region', 'commerce', 'childRanking', 1, 'region'] }),
    ];
    const out = withUnplannableErrors({ data: null, errors }, [
      ['region', 'commerce', 'childRanking', '@', 'region'],
    ]);
    expect(out.errors!.map((e) => [e.message, e.extensions?.code, e.path])).toEqual([
      [UNSUPPORTED_MESSAGE, 'PLANNING_UNSUPPORTED', errors[0]!.path],
      [errors[1]!.message, 'SUBGRAPH_UNAVAILABLE', errors[1]!.path],
      ['no', undefined, errors[2]!.path],
    ]);
  });
});
