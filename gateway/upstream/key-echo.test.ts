import { buildASTSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { KeyEchoes, echoKeys, takeEchoes } from './key-echo.js';

// A supergraph's types as the gateway builds them: keys in `@join__type`, other fields not keys.
const schema = buildASTSchema(
  parse(`
  directive @join__type(graph: String, key: String) repeatable on OBJECT
  type Village @join__type(graph: "PLACES", key: "code") @join__type(graph: "CULTURE", key: "code") {
    code: String! population: Int count: Int
  }
  type Query { village(code: String!): Village }
`),
  { assumeValidSDL: true },
);

const echoes = new KeyEchoes();
const FETCH = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Village { count } } }`;
const reps = [
  { __typename: 'Village', code: '1', population: 10 },
  { __typename: 'Village', code: '2', population: 20 },
];

describe('key echo', () => {
  it("asks each entity fetch for its representations' key fields back, and only those", () => {
    const echo = echoKeys(schema, FETCH, { representations: reps }, echoes)!;
    // `population` travels in the representation (as a @requires input would) but is no key.
    expect(print(echo.document)).toContain('... on Village {\n      __key_code: code\n    }');
    expect(echo.query).not.toContain('population');
    expect(echoKeys(schema, FETCH, { representations: reps }, echoes)).toBe(echo); // worked out once
    expect(echoKeys(schema, '{ village(code: "1") { count } }', {}, echoes)).toBeUndefined();
    expect(
      echoKeys(schema, FETCH, { representations: [{ __typename: 'Nope' }] }, echoes),
    ).toBeUndefined();
  });

  it("checks each `_entities` of a batched fetch against its own variable's representations", () => {
    const batched = `query($__batch_reps_0: [_Any!]!, $__batch_reps_1: [_Any!]!) {
      _e0: _entities(representations: $__batch_reps_0) { ... on Village { count } }
      _e1: _entities(representations: $__batch_reps_1) { ... on Village { count } } }`;
    const variables = { __batch_reps_0: reps, __batch_reps_1: [reps[1]] };
    const echo = echoKeys(schema, batched, variables, echoes)!;
    expect(echo.fields.map((f) => [f.at, f.variable])).toEqual([
      ['_e0', '__batch_reps_0'],
      ['_e1', '__batch_reps_1'],
    ]);
    expect(echo.query.match(/__key_code/g)).toHaveLength(2);
    const right = {
      data: { _e0: [{ __key_code: '1' }, { __key_code: '2' }], _e1: [{ __key_code: '2' }] },
    };
    expect(takeEchoes(echo, variables, right)).toBeUndefined();
    expect(right.data).toEqual({ _e0: [{}, {}], _e1: [{}] });
    // The default engine's batched fetch answered in another order: refused.
    const swapped = {
      data: { _e0: [{ __key_code: '2' }, { __key_code: '1' }], _e1: [{ __key_code: '2' }] },
    };
    expect(takeEchoes(echo, variables, swapped)).toBe('_e0.0 answers code of another entity');
  });

  it('takes the echoes out, and names an item that answers another entity', () => {
    const echo = echoKeys(schema, FETCH, { representations: reps }, echoes)!;
    const answer = (...items: unknown[]) => ({ data: { _entities: items } });
    const right = answer({ count: 1, __key_code: '1' }, null, { count: 2, __key_code: '2' });
    expect(
      takeEchoes(echo, { representations: [reps[0], reps[0], reps[1]] }, right),
    ).toBeUndefined();
    expect(right.data._entities).toEqual([{ count: 1 }, null, { count: 2 }]);

    const swapped = answer({ count: 2, __key_code: '2' }, { count: 1, __key_code: '1' });
    expect(takeEchoes(echo, { representations: reps }, swapped)).toBe(
      '_entities.0 answers code of another entity',
    );
    // Without its echo an item is refused, unless an error points into it (its key failed).
    expect(takeEchoes(echo, { representations: reps }, answer({ count: 1 }, null))).toMatch(
      /code missing/,
    );
    const failed = { ...answer({ count: 1, __key_code: '1' }, null), errors: [{ message: 'x' }] };
    expect(takeEchoes(echo, { representations: reps }, failed)).toBeUndefined();
    const keyFailed = (path: unknown[]) => ({
      ...answer({ count: 1, __key_code: null }, { count: 2, __key_code: '2' }),
      errors: [{ message: 'x', path }],
    });
    expect(
      takeEchoes(echo, { representations: reps }, keyFailed(['_entities', 0, '__key_code'])),
    ).toBeUndefined();
    // An error elsewhere (another item, no path) does not excuse a missing echo.
    for (const path of [['_entities', 1, 'count'], []]) {
      expect(takeEchoes(echo, { representations: reps }, keyFailed(path))).toMatch(
        /_entities\.0 answers code missing/,
      );
    }
  });
});
