import { getVariableValues, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CSV_OPERATIONS } from '../gateway/analyst/csv-operations.js';
import { EXAMPLE_OPERATIONS } from '../gateway/analyst/examples.js';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';

// Operations shipped to users (GraphiQL tabs, CSV downloads) checked against the committed
// supergraph, so a schema change that breaks one fails here.
const schema = apiSchemaOf(readSupergraph());

function problemsOf(document: string, variables: Record<string, unknown> = {}): string[] {
  const doc = parse(document);
  const errors = validate(schema, doc).map((e) => e.message);
  if (errors.length) return errors;
  const op = doc.definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  return (coerced.errors ?? []).map((e) => e.message);
}

describe('GraphiQL example operations', () => {
  const ready = EXAMPLE_OPERATIONS.filter((e) => !e.pending);
  const pending = EXAMPLE_OPERATIONS.filter((e) => e.pending);

  it.each(ready.map((e) => [e.name, e] as const))('%s validates, variables included', (_n, e) => {
    expect(problemsOf(e.document, e.variables)).toEqual([]);
  });

  it.each(pending.map((e) => [e.name, e] as const))(
    '%s is pending and still does not validate (remove its `pending` mark once it does)',
    (_n, e) => {
      expect(problemsOf(e.document, e.variables).length).toBeGreaterThan(0);
    },
  );

  it('names every operation once, and opens with the village profile', () => {
    const names = EXAMPLE_OPERATIONS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of EXAMPLE_OPERATIONS) expect(e.document).toContain(` ${e.name}`);
    expect(ready[0].name).toBe('VillageProfile');
  });
});

describe('CSV operations', () => {
  it.each(Object.entries(CSV_OPERATIONS))('%s validates', (_name, op) => {
    expect(validate(schema, parse(op.document)).map((e) => e.message)).toEqual([]);
  });
});
