import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shapeProblem } from './shape.js';

const schema = buildSchema(`
  scalar SafeInt
  enum Kind { CLINIC HOSPITAL }
  interface Node { code: String! }
  type Village implements Node { code: String! count: SafeInt! share: Float kind: Kind tags: [String!]! }
  type Region implements Node { code: String! villages: [Village!]! }
  union Place = Village | Region
  type Query { region(code: String!): Region node(code: String!): Node places: [Place!]! flag: Boolean! }
`);

const check = (
  query: string,
  data: unknown,
  opts: { variables?: Record<string, unknown>; errors?: unknown[] } = {},
) => shapeProblem(schema, parse(query), opts.variables, { data, errors: opts.errors });

const village = { code: '1', count: 3, share: 0.5, kind: 'CLINIC', tags: ['a'] };
const VILLAGE_FIELDS = 'code count share kind tags';

describe('shapeProblem', () => {
  it('accepts an answer of the shape of its operation', () => {
    const q = `{ region(code: "1") { code villages { ${VILLAGE_FIELDS} } } flag }`;
    expect(check(q, { region: { code: '1', villages: [village] }, flag: true })).toBeUndefined();
    expect(check(q, { region: null, flag: false })).toBeUndefined();
  });

  it('refuses a missing field, a wrong scalar or enum, an object for a list', () => {
    const q = `{ region(code: "1") { villages { ${VILLAGE_FIELDS} } } }`;
    const answer = (v: object) => ({ region: { villages: [{ ...village, ...v }] } });
    const { count: _dropped, ...withoutCount } = village;
    expect(check(q, { region: { villages: [withoutCount] } })).toMatch(/count is missing/);
    expect(check(q, answer({ count: '3' }))).toMatch(/count is not SafeInt/);
    expect(check(q, answer({ count: 2 ** 60 }))).toMatch(/count is not SafeInt/);
    expect(check(q, answer({ share: 'x' }))).toMatch(/share is not Float/);
    expect(check(q, answer({ kind: 'SHOP' }))).toMatch(/kind bad enum/);
    expect(check(q, answer({ tags: 'a' }))).toMatch(/tags is not a list/);
    expect(check(q, { region: { villages: village } })).toMatch(/not a list/);
  });

  it('allows null at a non-null field only when the answer carries errors', () => {
    const q = `{ region(code: "1") { villages { code count } } }`;
    const data = { region: { villages: [{ code: '1', count: null }] } };
    expect(check(q, data)).toMatch(/count is null/);
    const path = ['region', 'villages', 0, 'count'];
    expect(check(q, data, { errors: [{ message: 'failed', path }] })).toBeUndefined();
    // Beside data, an error that names no path cannot be placed (an entity answered null
    // beside it was left null without an error).
    expect(check(q, data, { errors: [{ message: 'failed' }] })).toMatch(/names no path/);
    expect(check(q, null)).toBe('no data and no error');
    expect(check(q, null, { errors: [{ message: 'failed' }] })).toBeUndefined();
  });

  it('applies @skip/@include with variables and their defaults, aliases and fragments', () => {
    const q = `query($all: Boolean = false) { r: region(code: "1") { code ...V } }
      fragment V on Region { villages @include(if: $all) { code } }`;
    expect(check(q, { r: { code: '1' } })).toBeUndefined();
    expect(check(q, { r: { code: '1' } }, { variables: { all: true } })).toMatch(/missing/);
  });

  it('checks type conditions by __typename on abstract types', () => {
    const q = `{ places { __typename ... on Village { count } ... on Region { code } } }`;
    const ok = {
      places: [
        { __typename: 'Village', count: 1 },
        { __typename: 'Region', code: 'r' },
      ],
    };
    expect(check(q, ok)).toBeUndefined();
    expect(check(q, { places: [{ __typename: 'Village', code: 'r' }] })).toMatch(/count/);
    expect(check(q, { places: [{ __typename: 'Shop' }] })).toMatch(/not an object type/);
  });

  it('reads `__typename` as a type only where it is not an alias of another field', () => {
    const q = `{ region(code: "1") { __typename: code villages { __typename: code count } } }`;
    const ok = { region: { __typename: '1', villages: [{ __typename: 'v', count: 1 }] } };
    expect(check(q, ok)).toBeUndefined();
    expect(check(q, { region: { __typename: 1, villages: [] } })).toMatch(/is not String/);
    const entities = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Village { __typename: code } } }`;
    const variables = { representations: [{ __typename: 'Village', code: '1' }] };
    expect(check(entities, { _entities: [{ __typename: '1' }] }, { variables })).toBeUndefined();
  });

  it('wants one `_entities` item per representation', () => {
    const q = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Village { __typename code } } }`;
    const variables = {
      representations: [
        { __typename: 'Village', code: '1' },
        { __typename: 'Village', code: '2' },
      ],
    };
    const two = [
      { __typename: 'Village', code: '1' },
      { __typename: 'Village', code: '2' },
    ];
    expect(check(q, { _entities: two }, { variables })).toBeUndefined();
    expect(check(q, { _entities: two.slice(1) }, { variables })).toMatch(/1 items for 2/);
    expect(check(q, { _entities: [two[0], { __typename: 'Village' }] }, { variables })).toMatch(
      /code is missing/,
    );
    // An entity the subgraph does not hold is null, without an error.
    expect(check(q, { _entities: [two[0], null] }, { variables })).toBeUndefined();
  });

  it('wants each `_entities` item to be the entity of its representation', () => {
    const q = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Village { __typename code count } } }`;
    const representations = [
      { __typename: 'Village', code: '1' },
      { __typename: 'Village', code: '2' },
    ];
    const item = (code: string, typename = 'Village') => ({
      ...village,
      __typename: typename,
      code,
    });
    const answer = (...items: object[]) =>
      check(q, { _entities: items }, { variables: { representations } });
    expect(answer(item('1'), item('2'))).toBeUndefined();
    // Swapped slots: each village would get the other's figures.
    expect(answer(item('2'), item('1'))).toMatch(/_entities\.0\.code is not the representation's/);
    expect(answer(item('1'), item('2', 'Region'))).toMatch(/_entities\.1\.__typename/);
    // A key field not selected back, or another field aliased to its name, is not compared.
    const aliased = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Village { code: tags } } }`;
    const rep = { representations: [representations[0]] };
    expect(check(aliased, { _entities: [{ code: ['x'] }] }, { variables: rep })).toBeUndefined();
  });
});
