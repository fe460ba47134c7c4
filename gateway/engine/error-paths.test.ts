import { buildSchema, parse, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clientErrorPaths, variablesOf } from './error-paths.js';

const schema = buildSchema(`
  type Query { region(code: ID!): Region }
  type Region { code: ID! name: String county: Region childrenByIndex: [Rank!] }
  type Rank { rank: Int! }
`);

const error = (
  path: (string | number)[],
  code = 'SUBGRAPH_UNAVAILABLE',
): GraphQLFormattedError => ({
  message: 'A part of the graph is unavailable right now.',
  path,
  extensions: { code },
});

function paths(query: string, errors: GraphQLFormattedError[], inputs?: Record<string, unknown>) {
  const document = parse(query);
  const op = document.definitions[0];
  if (op.kind !== 'OperationDefinition') throw new Error('no operation');
  const variables = inputs === undefined ? undefined : variablesOf(schema, op, inputs);
  return clientErrorPaths(errors, document, undefined, variables).map((e) => e.path);
}

describe('clientErrorPaths', () => {
  it("cuts a path back to the client's own fields, and drops a planner's alias", () => {
    const q = '{ region(code: "1") { county { name } } }';
    const out = paths(q, [
      error(['region', 'county', 'cultureIndexInput']),
      error(['_e0', 0, 'name']),
      error(['region', 'county', 'name']),
    ]);
    expect(out).toEqual([['region', 'county'], undefined, ['region', 'county', 'name']]);
  });

  it('drops an error at a field @skip/@include leave out, with defaults applied', () => {
    const q = `query ($s: Boolean! = true, $i: Boolean! = false) {
      region(code: "1") {
        county @skip(if: $s) { childrenByIndex { rank } }
        county { name }
        ... @include(if: $i) { childrenByIndex { rank } }
        ...F @skip(if: $s)
      }
    }
    fragment F on Region { name }`;
    const errors = [
      error(['region', 'county', 'childrenByIndex']),
      error(['region', 'childrenByIndex', 0, 'rank']),
      error(['region', 'name']),
      error(['region', 'county', 'name']),
    ];
    expect(paths(q, errors, {})).toEqual([['region', 'county', 'name']]);
    // Shown by the variables, each is kept at its own path.
    expect(paths(q, errors, { s: false, i: true })).toEqual(errors.map((e) => e.path));
    // Without variables nothing is known to be left out: paths are only cut back.
    expect(paths(q, errors)).toEqual(errors.map((e) => e.path));
  });

  it('keeps a field left out in one place but shown in another', () => {
    const q = `query ($s: Boolean! = true) {
      region(code: "1") { ...F @skip(if: $s) ... on Region { ...F } } }
    fragment F on Region { childrenByIndex { rank } }`;
    const errors = [error(['region', 'childrenByIndex'])];
    expect(paths(q, errors, {})).toEqual([['region', 'childrenByIndex']]);
  });

  it('keeps, without a path, the error of an answer with no data', () => {
    const document = parse(
      'query ($s: Boolean! = true) { region(code: "1") @skip(if: $s) { name } }',
    );
    const op = document.definitions[0];
    if (op.kind !== 'OperationDefinition') throw new Error('no operation');
    const variables = variablesOf(schema, op, {});
    const out = clientErrorPaths([error(['region'])], document, undefined, variables, true);
    // Beside another error (data null for that one), it is dropped (generated seed 11110372).
    const other = error(['region2'], 'BAD_USER_INPUT');
    const both = clientErrorPaths([error(['region']), other], document, undefined, variables, true);
    expect(both).toEqual([{ message: expect.any(String), extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(out).toEqual([
      { message: expect.any(String), extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
    ]);
  });
});
