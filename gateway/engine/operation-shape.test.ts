import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { emptyRoot, introspectionOf } from './operation-shape.js';

const schema = buildSchema('type Query { a: Int b: String! c: [Int] }');
function request(query: string) {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return { schema, document, operation };
}

describe('introspectionOf', () => {
  it('tells introspection alone from introspection mixed with data', () => {
    expect(introspectionOf(parse('{ a c }'))).toBe('none');
    expect(introspectionOf(parse('{ __schema { types { name } } __typename }'))).toBe('only');
    expect(introspectionOf(parse('{ __type(name: "Query") { name } a }'))).toBe('mixed');
    expect(introspectionOf(parse('fragment F on Query { a }'))).toBe('none');
  });
});

describe('emptyRoot', () => {
  it('nulls each nullable root field by its response key, leaving skipped ones out', () => {
    const r = request(
      'query Q($s: Boolean!) { x: a c @skip(if: $s) ...F } fragment F on Query { a }',
    );
    expect(emptyRoot(r, { s: true })).toEqual({ x: null, a: null });
    expect(emptyRoot(r, { s: false })).toEqual({ x: null, c: null, a: null });
  });

  it('answers a root __typename with the root type, whichever fetch failed (as GraphQL does)', () => {
    expect(emptyRoot(request('{ a __typename ... { t: __typename } }'), {})).toEqual({
      a: null,
      __typename: 'Query',
      t: 'Query',
    });
  });

  it('is null as a whole when a non-null root field was not fetched', () => {
    expect(emptyRoot(request('{ a b }'), {})).toBeNull();
    expect(emptyRoot(request('{ a ... on Query { b } }'), {})).toBeNull();
  });
});
