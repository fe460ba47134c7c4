import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './request-fingerprint.js';

const fp = (q: string, variables?: Record<string, unknown>, name?: string) =>
  requestFingerprint(parse(q), name, variables);

describe('requestFingerprint', () => {
  const base = fp('mutation { a: m(input: { x: 1, y: "k" }) { id } }');

  it('is the same for the same fields and arguments, however spelled or selected', () => {
    expect(fp('mutation($i: In!) { a: m(input: $i) { id name } }', { i: { y: 'k', x: 1 } })).toBe(
      base,
    );
    expect(
      fp('mutation { ...F } fragment F on Mutation { a: m(input: { y: "k", x: 1 }) { id } }'),
    ).toBe(base);
    expect(fp('mutation { a: m(input: { x: 1, y: "k" }) { id } b: n @skip(if: true) }')).toBe(base);
  });

  it('differs with another alias, argument, field or order', () => {
    const others = [
      fp('mutation { b: m(input: { x: 1, y: "k" }) { id } }'),
      fp('mutation { a: m(input: { x: 2, y: "k" }) { id } }'),
      fp('mutation { a: m(input: { x: 1, y: "k" }) { id } b: n }'),
      fp('mutation { b: n a: m(input: { x: 1, y: "k" }) { id } }'),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('reads the named operation', () => {
    const doc = 'mutation A { a: m(input: { x: 1, y: "k" }) { id } } mutation B { b: n }';
    expect(fp(doc, undefined, 'A')).toBe(base);
    expect(fp(doc, undefined, 'B')).not.toBe(base);
  });
});

describe('requestFingerprint with variable defaults', () => {
  it('reads a variable not sent as its default value', () => {
    const sent = fp('mutation($x: Int) { a: m(input: { x: $x, y: "k" }) { id } }', { x: 1 });
    expect(fp('mutation($x: Int = 1) { a: m(input: { x: $x, y: "k" }) { id } }')).toBe(sent);
    expect(fp('mutation($x: Int = 2) { a: m(input: { x: $x, y: "k" }) { id } }')).not.toBe(sent);
    expect(fp('mutation($x: Int = 2) { a: m(input: { x: $x, y: "k" }) { id } }', { x: 1 })).toBe(
      sent,
    );
  });
});

describe('requestFingerprint with the schema', () => {
  const schema = buildSchema(`type Query { q: Int }
    type Mutation { m(input: In!): Int }
    input In { x: Int, y: ID, l: [Int!] }`);
  const typed = (q: string, variables?: Record<string, unknown>) =>
    requestFingerprint(parse(q), undefined, variables, schema);

  it('reads the values the field receives: an ID as an Int, one item for a list', () => {
    const sent = typed('mutation($i: In!) { m(input: $i) }', { i: { y: '7', l: [1] } });
    expect(typed('mutation { m(input: { y: 7, l: 1 }) }')).toBe(sent);
    expect(typed('mutation { m(input: { y: "7", l: [1] }) }')).toBe(sent);
    expect(typed('mutation($l: [Int!] = [1]) { m(input: { y: "7", l: $l }) }')).toBe(sent);
    expect(typed('mutation { m(input: { y: "8", l: [1] }) }')).not.toBe(sent);
    expect(typed('mutation { m(input: { y: "7", l: [1, 1] }) }')).not.toBe(sent);
  });
});
