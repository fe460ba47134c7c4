import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { keyedWrite, operationFields, parseIdempotencyKey } from './idempotency.js';

describe('parseIdempotencyKey', () => {
  it('accepts what the gateway lets through; the quoted form names the same key', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('order-2024-05-01/1 ~ printable ASCII')).toBe(
      'order-2024-05-01/1 ~ printable ASCII',
    );
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8"')).toBe('8e03978e-40d5-43e8');
    expect(parseIdempotencyKey('"a\\"b"')).toBe('a"b');
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['an unterminated sf-string', '"abc'],
  ])('refuses a key that is %s with BAD_USER_INPUT', (_, key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' } }),
    );
  });
});

const schema = buildSchema(`
  input In { n: Int, s: String }
  type Query { x: Int }
  type Mutation { write(input: In!): Int, other(n: Int): Int }
`);

/** The resolve info of each mutation field of `doc`, as a resolver sees it. */
async function infos(doc: string, variables?: Record<string, unknown>) {
  const seen: GraphQLResolveInfo[] = [];
  const capture = (_: unknown, __: unknown, info: GraphQLResolveInfo) => (seen.push(info), 1);
  const result = await graphql({
    schema,
    source: doc,
    variableValues: variables,
    rootValue: { write: capture, other: capture },
    fieldResolver: (_s, _a, _c, info) => capture(_s, _a, info),
  });
  expect(result.errors).toBeUndefined();
  return seen;
}

describe('the fingerprint of a keyed write', () => {
  const ctx = {
    identity: { sub: 'key:k', kind: 'api-key', scopes: [], iat: 0 },
    idempotencyKey: 'K',
  };

  it('covers every mutation field with its alias and arguments, variables applied', async () => {
    const [info] = await infos(
      `mutation($v: In!, $skip: Boolean!) { a: write(input: $v) ... on Mutation { other(n: 2) }
        ...F b: other(n: 9) @skip(if: $skip) }
       fragment F on Mutation { c: write(input: { n: 3 }) }`,
      { v: { s: 'x', n: 1 }, skip: true },
    );
    expect(operationFields(info)).toEqual([
      { as: 'a', field: 'write', args: { input: { s: 'x', n: 1 } } },
      { as: 'other', field: 'other', args: { n: 2 } },
      { as: 'c', field: 'write', args: { input: { n: 3 } } },
    ]);
  });

  it('is the same for the same request however written, and differs for other arguments', async () => {
    const fp = async (doc: string, v?: Record<string, unknown>) =>
      (await infos(doc, v)).map((i) => keyedWrite(ctx, i)!.fingerprint);
    const literal = await fp('mutation { write(input: { n: 1, s: "x" }) }');
    expect(await fp('mutation($v: In!) { write(input: $v) }', { v: { s: 'x', n: 1 } })).toEqual(
      literal,
    );
    expect(await fp('mutation($v: In!) { write(input: $v) }', { v: { n: 1, s: 'x' } })).toEqual(
      literal,
    );
    expect(await fp('mutation { write(input: { n: 2, s: "x" }) }')).not.toEqual(literal);
    expect(await fp('mutation { w: write(input: { n: 1, s: "x" }) }')).not.toEqual(literal);
    // Two fields, one request: both carry the request's fingerprint, under their own response keys.
    const two = await infos('mutation { a: other(n: 1) b: other(n: 2) }');
    const [a, b] = two.map((i) => keyedWrite(ctx, i)!);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect([a.field, b.field]).toEqual(['a', 'b']);
  });

  it('is absent without a key or without a signed caller', async () => {
    const [info] = await infos('mutation { other }');
    expect(keyedWrite({ identity: ctx.identity }, info)).toBeUndefined();
    expect(keyedWrite({ idempotencyKey: 'K' }, info)).toBeUndefined();
  });
});
