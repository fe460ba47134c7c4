import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Field, ObjectType, Query, Resolver, UseMiddleware } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema } from './schema.js';

// The schema is built on graphql's CommonJS build (as Apollo Server loads it): executed with it.
const graphqlCjs = createRequire(import.meta.url)('graphql') as typeof import('graphql');

@ObjectType()
class Probe {
  @Field(() => String)
  plain!: string;

  @Field(() => String)
  @UseMiddleware(async (_data, next) => `${String(await next())}!`)
  loud!: string;

  @Field(() => String, { name: 'renamed' })
  inner!: string;
}

@Resolver()
class ProbeResolver {
  @Query(() => Probe)
  probe(): Probe {
    return Object.assign(new Probe(), { plain: 'a', loud: 'b', inner: 'c' });
  }
}

describe('plain fields are read by graphql-js (simple-fields.ts)', () => {
  it("has no per-field wrapper on a plain property; keeps middlewares' and renamed fields'", async () => {
    const schema = await buildFederatedSchema({ resolvers: [ProbeResolver] });
    const fields = (schema.getType('Probe') as import('graphql').GraphQLObjectType).getFields();
    expect(fields.plain.resolve).toBeUndefined();
    expect(fields.loud.resolve).toBeTypeOf('function');
    expect(fields.renamed.resolve).toBeTypeOf('function');
    const answer = await graphqlCjs.graphql({ schema, source: '{ probe { plain loud renamed } }' });
    expect(answer).toEqual({ data: { probe: { plain: 'a', loud: 'b!', renamed: 'c' } } });
  });
});
