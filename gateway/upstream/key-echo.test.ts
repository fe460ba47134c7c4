import { buildASTSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { echoKeys, takeEchoes } from './key-echo.js';

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

const FETCH = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Village { count } } }`;
const reps = [
  { __typename: 'Village', code: '1', population: 10 },
  { __typename: 'Village', code: '2', population: 20 },
];

describe('key echo', () => {
  it("asks each entity fetch for its representations' key fields back, and only those", () => {
    const echo = echoKeys(schema, FETCH, { representations: reps })!;
    // `population` travels in the representation (as a @requires input would) but is no key.
    expect(print(echo.document)).toContain('... on Village {\n      __key_code: code\n    }');
    expect(echo.query).not.toContain('population');
    expect(echoKeys(schema, FETCH, { representations: reps })).toBe(echo); // worked out once
    expect(echoKeys(schema, '{ village(code: "1") { count } }', {})).toBeUndefined();
    expect(echoKeys(schema, FETCH, { representations: [{ __typename: 'Nope' }] })).toBeUndefined();
  });

  it('checks, in a batched fetch, only the `_entities` given `$representations`', () => {
    const batched = `query($r0: [_Any!]!, $representations: [_Any!]!) {
      _e0: _entities(representations: $r0) { ... on Village { count } }
      _entities(representations: $representations) { ... on Village { count } } }`;
    const echo = echoKeys(schema, batched, { r0: [reps[1]], representations: reps })!;
    expect(echo.at).toBe('_entities');
    expect(echo.query.match(/__key_code/g)).toHaveLength(1);
  });

  it('takes the echoes out, and names an item that answers another entity', () => {
    const echo = echoKeys(schema, FETCH, { representations: reps })!;
    const answer = (...items: unknown[]) => ({ data: { _entities: items } });
    const right = answer({ count: 1, __key_code: '1' }, null, { count: 2, __key_code: '2' });
    expect(takeEchoes(echo, [reps[0], reps[0], reps[1]], right)).toBeUndefined();
    expect(right.data._entities).toEqual([{ count: 1 }, null, { count: 2 }]);

    const swapped = answer({ count: 2, __key_code: '2' }, { count: 1, __key_code: '1' });
    expect(takeEchoes(echo, reps, swapped)).toBe('_entities.0 answers code of another entity');
    // Without its echo an item is refused, unless the answer carries errors (a failed item).
    expect(takeEchoes(echo, reps, answer({ count: 1 }, null))).toMatch(/code missing/);
    const failed = { ...answer({ count: 1, __key_code: '1' }, null), errors: [{ message: 'x' }] };
    expect(takeEchoes(echo, reps, failed)).toBeUndefined();
  });
});
