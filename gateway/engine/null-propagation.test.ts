import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { propagateNulls } from './null-propagation.js';

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
