import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cost } from './cost.js';
import { operationState, pipelineDeps, served } from './fixtures.js';

const page = 'query P($n: Int) { villages(first: $n) { edges { node { code name } } } }';
const state = (variables: Record<string, unknown>) =>
  operationState({}, { served, doc: parse(page), variables });

describe('cost stage', () => {
  it('prices the operation with its variables, refusing it over MAX_COST', () => {
    const deps = pipelineDeps({}, { MAX_COST: '500' });
    expect(cost(state({ n: 10 }), deps)).toBeUndefined();
    expect(() => cost(state({ n: 100_000 }), deps)).toThrow(
      expect.objectContaining({ status: 400, code: 'COST_LIMIT_EXCEEDED' }),
    );
  });

  it('refuses variables not of their type as execution would, not with a cost made of them', () => {
    const deps = pipelineDeps({}, { MAX_COST: '500' });
    for (const n of [2_147_483_648, 2 ** 53 + 1, 'ten', 1.5]) {
      expect(() => cost(state({ n }), deps)).toThrow(
        expect.objectContaining({
          status: 400,
          code: 'BAD_USER_INPUT',
          message: expect.stringMatching(/^Variable "\$n" got invalid value/),
        }),
      );
    }
  });

  it('needs the document stage first', () => {
    expect(() => cost(operationState({}), pipelineDeps())).toThrow(/served/);
  });
});
