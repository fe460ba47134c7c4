import { buildSchema, GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorsForNulls, propagateNulls, withCompletionErrors } from './null-propagation.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Village implements Node { id: ID! name: String! }
  type Store implements Node { id: ID! village: Village! note: String }
  type Query {
    store: Store
    stores: [Store!]
    required: [Store!]!
    node: Node
  }
`);

const run = (query: string, data: unknown, variables: Record<string, unknown> = {}) =>
  propagateNulls(schema, parse(query), undefined, variables, structuredClone(data) as never);

describe('propagateNulls', () => {
  it('nulls the nearest nullable parent of a non-null field that holds null', () => {
    expect(run('{ store { id village { name } } }', { store: { id: 's', village: null } })).toEqual(
      { store: null },
    );
    // Through a non-null leaf too, and under aliases.
    expect(run('{ s: store { v: village { n: name } } }', { s: { v: { n: null } } })).toEqual({
      s: null,
    });
  });

  it('nulls a list whose non-null item is null, and the whole answer for a non-null root', () => {
    const stores = [{ village: { name: 'a' } }, { village: null }];
    expect(run('{ stores { village { name } } }', { stores })).toEqual({ stores: null });
    expect(run('{ required { village { name } } }', { required: stores })).toBeNull();
  });

  it('leaves what is valid as it is: nullable nulls, complete answers', () => {
    const ok = { store: { id: 's', note: null, village: { name: 'v' } }, stores: null };
    expect(run('{ store { id note village { name } } stores { id } }', ok)).toEqual(ok);
  });

  it('follows fragments and inline fragments, without __typename in the answer', () => {
    const query = `{ node { id ...S ... on Village { name } } }
      fragment S on Store { village { ... on Village { name } } }`;
    expect(run(query, { node: { id: 's', village: { name: null } } })).toEqual({ node: null });
    expect(run(query, { node: { id: 'v', name: 'x' } })).toEqual({ node: { id: 'v', name: 'x' } });
  });

  it('ignores fields @skip or @include left out', () => {
    const query = 'query($s: Boolean!) { store { village @skip(if: $s) { name } id } }';
    // A key the operation did not select is not judged (the engine would not send it).
    expect(run(query, { store: { id: 's', village: null } }, { s: true })).toEqual({
      store: { id: 's', village: null },
    });
    expect(run(query, { store: { id: 's', village: null } }, { s: false })).toEqual({
      store: null,
    });
  });
});

describe('errorsForNulls', () => {
  const unavailable = (path: (string | number)[]) => ({
    path,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

  it('gives each non-null position that held null without an error one, up to data: null', () => {
    // An entity answered null without an error (`Store.village: Village!`): GraphQL answers the
    // null with an error, where the engines gave none, and `data: null` as a whole with none.
    const nulls: (string | number)[][] = [];
    const data = { required: [{ village: { name: 'a' } }, { village: null }] };
    expect(
      propagateNulls(
        schema,
        parse('{ required { village { name } } }'),
        undefined,
        {},
        data,
        nulls,
      ),
    ).toBeNull();
    expect(nulls).toEqual([['required', 1, 'village']]);
    expect(errorsForNulls(undefined, nulls)).toMatchObject([
      unavailable(['required', 1, 'village']),
    ]);
  });

  it('adds none where an error is at the null, above it or below it', () => {
    const at = new GraphQLError('x', { path: ['store', 'village'] });
    const above = new GraphQLError('y', { path: ['stores', 0] });
    const below = new GraphQLError('z', { path: ['node', 'village', 'name'] });
    const nulls = [['store', 'village'], ['stores', 0, 'village'], ['node', 'village'], ['other']];
    const errors = errorsForNulls([at, above, below], nulls);
    expect(errors?.slice(0, 3)).toEqual([at, above, below]);
    expect(errors?.slice(3)).toMatchObject([unavailable(['other'])]);
  });

  it("turns @apollo/gateway's valueCompletion notes into errors", () => {
    const note = { message: 'Cannot return null', path: ['a', 0, 'village', 'kind'] };
    const answer = withCompletionErrors({ data: null, extensions: { valueCompletion: [note] } });
    expect(answer).toMatchObject({ data: null, errors: [unavailable(note.path)] });
    expect(answer.extensions).toBeUndefined();
  });
});
