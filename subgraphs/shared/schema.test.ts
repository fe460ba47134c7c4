import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Arg, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema, printFederatedSdl } from './schema.js';

// Executed with graphql's CommonJS build, as Apollo Server loads it (see simple-fields.test.ts).
const graphqlCjs = createRequire(import.meta.url)('graphql') as typeof import('graphql');

@ObjectType()
class ParamOrderProbe {
  @Field(() => String)
  name!: string;
}

@Resolver(() => ParamOrderProbe)
class ParamOrderProbeResolver {
  @Query(() => ParamOrderProbe)
  paramOrderProbe(): ParamOrderProbe {
    return Object.assign(new ParamOrderProbe(), { name: 'p' });
  }

  @FieldResolver(() => String)
  joined(
    @Root() probe: ParamOrderProbe,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('kind', () => String, { nullable: true }) kind?: string,
  ): string {
    return `${probe.name}:${first ?? '-'}:${kind ?? '-'}`;
  }
}

describe('buildFederatedSchema', () => {
  it('prints the same SDL when built again after answering a field with arguments', async () => {
    const build = () => buildFederatedSchema({ resolvers: [ParamOrderProbeResolver] });
    const schema = await build();
    const before = printFederatedSdl(schema);
    // type-graphql sorts a field's parameter list in place when it resolves the field, and the
    // type keeps that list: a later build listed the arguments in another order.
    const answer = await graphqlCjs.graphql({
      schema,
      source: '{ paramOrderProbe { joined(first: 2, kind: "k") } }',
    });
    expect(answer).toEqual({ data: { paramOrderProbe: { joined: 'p:2:k' } } });
    expect(printFederatedSdl(await build())).toBe(before);
  });
});
