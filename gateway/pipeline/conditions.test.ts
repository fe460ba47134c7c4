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

  it('lets the default stand in when the variable is left out, and other nulls through', () => {
    for (const variables of [undefined, {}, { s: false }, { s: true, n: null }]) {
      expect(conditions(state(variables), pipelineDeps())).toBeUndefined();
    }
  });
});
