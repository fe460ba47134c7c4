import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import {
  cacheHintOf,
  placeRequestErrors,
  unavailable,
  withNullEntityErrors,
} from './unavailable.js';

type Options = Parameters<typeof unavailable>[0];
const fetchOf = (query: string, variables: Record<string, unknown> = {}): Options =>
  ({ request: { query, variables } }) as unknown as Extract<
    GraphQLDataSourceProcessOptions,
    { incomingRequestContext: unknown }
  >;

describe('unavailable', () => {
  it('gives every entity field of a failed fetch its error, however many entities', () => {
    const reps = Array.from({ length: 250 }, (_, i) => ({ __typename: 'Village', code: `${i}` }));
    const answer = unavailable(
      fetchOf(
        `query($r0: [_Any!]!, $r1: [_Any!]!) {
          _e0: _entities(representations: $r0) { ... on Village { commerce { storeCount } c2: commerce { jobs { count } } } }
          _e1: _entities(representations: $r1) { ... on Region { __typename commerce { jobs { count } } } } }`,
        { r0: reps, r1: [{ __typename: 'Region', code: '33' }] },
      ),
    );
    // 250 villages × 2 fields, then the region's one field (__typename needs none).
    expect(answer.errors).toHaveLength(501);
    expect(answer.errors?.[499].path).toEqual(['_e0', 249, 'c2']);
    expect(answer.errors?.[500].path).toEqual(['_e1', 0, 'commerce']);
    for (const e of answer.errors ?? []) {
      expect(e.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE' });
    }
  });

  it("gives each field its error when a type's fields come in several fragments", () => {
    // @apollo/gateway's fetch for a conditional `@requires` input beside a plain field: only the
    // last fragment's field had its error, and the index computed from the input came back null
    // without one.
    const answer = unavailable(
      fetchOf(
        `query($representations: [_Any!]!, $c: Boolean! = true) {
          _entities(representations: $representations) {
            ... on Region @include(if: $c) { commerceIndexInput { stores } }
            ... on Region { commerce { parkJobs { count } } ... { j: jobs { count } } }
            ... on Village { commerce { storeCount } } } }`,
        { representations: [{ __typename: 'Region', code: '3311' }] },
      ),
    );
    expect(answer.errors?.map((e) => e.path)).toEqual([
      ['_entities', 0, 'commerceIndexInput'],
      ['_entities', 0, 'commerce'],
      ['_entities', 0, 'j'],
    ]);
  });

  it('gives a root field its error, and a document it cannot read one error', () => {
    expect(
      unavailable(fetchOf('{ region(code: "33") { name } n: provinces { code } }')).errors,
    ).toMatchObject([{ path: ['region'] }, { path: ['n'] }]);
    expect(unavailable(fetchOf('{ broken')).errors).toEqual([
      { message: expect.any(String), extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
    ]);
  });
});

describe('placeRequestErrors', () => {
  it("puts a subgraph's errors that name no field, with no data, at each field of the fetch", () => {
    // A subgraph with no database connection in time answers so; each field was null with an
    // error that named none of them.
    const busy = { message: 'The database is busy.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } };
    const fetch = fetchOf(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Region { commerce { stores { count } } } } }`,
      {
        representations: [
          { __typename: 'Region', code: '33' },
          { __typename: 'Region', code: '3311' },
        ],
      },
    );
    expect(placeRequestErrors(fetch, { errors: [busy] }).errors).toEqual([
      { ...busy, path: ['_entities', 0, 'commerce'] },
      { ...busy, path: ['_entities', 1, 'commerce'] },
    ]);
    // Errors that name their field, or beside data, are the subgraph's as they are.
    const placed = { errors: [{ ...busy, path: ['_entities', 0] }] };
    expect(placeRequestErrors(fetch, placed)).toBe(placed);
    const withData = { data: { _entities: [null, null] }, errors: [busy] };
    expect(placeRequestErrors(fetch, withData)).toBe(withData);
  });
});

describe('cacheHintOf', () => {
  it('reads max-age and scope, and nothing as not cacheable', () => {
    expect(cacheHintOf('max-age=60, public')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(cacheHintOf(['max-age=5', 'private'])).toEqual({ maxAge: 5, scope: 'PRIVATE' });
    expect(cacheHintOf('no-store')).toEqual({ maxAge: 0 });
    expect(cacheHintOf(undefined)).toEqual({ maxAge: 0 });
  });
});

describe('withNullEntityErrors', () => {
  const fetch = fetchOf(
    `query($r0: [_Any!]!) { _e0: _entities(representations: $r0) {
      ... on Region { digitalIndex { score } childrenByIndex { rank } } } }`,
    { r0: ['33', '3311', '331124'].map((code) => ({ __typename: 'Region', code })) },
  );
  const error = (path: (string | number)[]) => ({
    message: 'A part of the graph is unavailable right now.',
    path,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

  // As if a @requires named these two (the real ones are the index inputs, children, …).
  const required = new Set(['digitalIndex', 'childrenByIndex']);

  it('gives each required field of an entity answered null without an error its error', () => {
    // Places answering `[null]` for a region left its index null with no error on both engines.
    const answer = withNullEntityErrors(
      fetch,
      {
        data: { _e0: [{ digitalIndex: null, childrenByIndex: [] }, null, null] },
        errors: [
          { message: 'failed', path: ['_e0', 2], extensions: { code: 'INTERNAL' } },
          // An error below one field of an entity answered null: the other field needs its own.
          { message: 'refused', path: ['_e0', 1, 'digitalIndex', 'score'] },
        ],
      },
      required,
    );
    expect(answer.errors).toEqual([
      { message: 'failed', path: ['_e0', 2], extensions: { code: 'INTERNAL' } },
      { message: 'refused', path: ['_e0', 1, 'digitalIndex', 'score'] },
      error(['_e0', 1, 'childrenByIndex']),
    ]);
  });

  it('leaves an answer without null entities, or with an error for the whole fetch, as it is', () => {
    const whole = { data: { _e0: [null, null, null] }, errors: [{ message: 'x', path: ['_e0'] }] };
    expect(withNullEntityErrors(fetch, whole, required)).toBe(whole);
    const fine = { data: { _e0: [{ digitalIndex: null }, {}, {}] } };
    expect(withNullEntityErrors(fetch, fine, required)).toBe(fine);
  });

  it('knows a required field by its name under a client alias', () => {
    const aliased = fetchOf(
      `query($r0: [_Any!]!) { _e0: _entities(representations: $r0) {
        ... on Region { a16: childrenByIndex { rank } name } } }`,
      { r0: [{ __typename: 'Region', code: '33' }] },
    );
    const answer = withNullEntityErrors(aliased, { data: { _e0: [null] } }, required);
    expect(answer.errors).toEqual([error(['_e0', 0, 'a16'])]);
  });

  it('leaves a null entity whose fields nothing requires null without an error', () => {
    // A reference to something its subgraph does not hold is a null to show (check:references).
    const dangling = { data: { _e0: [{ digitalIndex: null }, null, {}] } };
    expect(withNullEntityErrors(fetch, dangling, new Set(['children']))).toBe(dangling);
  });
});
