import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The places subgraph owns villages; culture only contributes fields to them by code. */
@Directive('@key(fields: "code")')
@ObjectType({
  description:
    'A village-level unit (rural village or urban community), keyed by its official code.',
})
export class Village {
  @Field(() => ID, { description: 'Official 12-digit statistical division code.' })
  code!: string;
}

export function resolveVillageReference(ref: { code: string }): Village {
  return Object.assign(new Village(), { code: ref.code });
}
