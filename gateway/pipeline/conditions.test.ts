import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { conditions } from './conditions.js';
import { operationState, pipelineDeps } from './fixtures.js';

const query = parse(`query($s: Boolean = true, $n: Int) {
  villages(first: $n) { edges { node { code name @skip(if: $s) } } } }`);
const state = (variables: Record<string, unknown> | undefined) =>
  operationState({}, { doc: query, variables });

describe('conditions stage', () => {
  it('refuses an explicit null for a variable an @skip or @include reads', () => {
    expect(() => conditions(state({ s: null }), pipelineDeps())).toThrow(
      expect.objectContaining({ status: 400, code: 'BAD_USER_INPUT' }),
    );
    const included = parse('query($i: Boolean = false) { a @include(if: $i) }');
    expect(() =>
      conditions(operationState({}, { doc: included, variables: { i: null } }), pipelineDeps()),
    ).toThrow(/\$i/);
  });

  it('reads the conditions of the operation run, and of the fragments it spreads', () => {
    const doc = parse(`
      query A($s: Boolean = true) { ...F }
      query B($s: Boolean) { a(x: $s) }
      fragment F on Query { a @include(if: $s) }`);
    const run = (operationName: string) =>
      conditions(
        operationState({}, { doc, operationName, variables: { s: null } }),
        pipelineDeps(),
      );
    expect(() => run('A')).toThrow(/\$s/);
    // In B, `$s` is an argument's value, where null is a value like any other.
    expect(run('B')).toBeUndefined();
  });

  it('lets the default stand in when the variable is left out, and other nulls through', () => {
    for (const variables of [undefined, {}, { s: false }, { s: true, n: null }]) {
      expect(conditions(state(variables), pipelineDeps())).toBeUndefined();
    }
  });
});
