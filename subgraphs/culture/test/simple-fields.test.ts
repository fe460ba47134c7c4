import 'reflect-metadata';
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cultureSubgraph } from '../index.js';

/** subgraphs/shared/simple-fields.ts on a whole subgraph (its own test is in shared/). */
describe('plain fields read by graphql-js', () => {
  it("leaves a subgraph's field resolvers in place", async () => {
    const schema = await cultureSubgraph.buildSchema();
    const type = (name: string) => (schema.getType(name) as GraphQLObjectType).getFields();
    expect(type('Auditorium').name.resolve).toBeUndefined();
    expect(type('Village').culture.resolve).toBeTypeOf('function');
  });
});
