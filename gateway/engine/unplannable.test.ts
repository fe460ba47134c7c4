import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { plan, ranked, sdl } from './planner-fixture.js';
import { unplannablePositions, withUnplannableErrors, UNSUPPORTED_MESSAGE } from './unplannable.js';

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
      ranked('healthcare', 'FAMILY_DOCTOR_SHARE', 'code name'),
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
