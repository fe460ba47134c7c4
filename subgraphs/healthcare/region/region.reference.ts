import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The places subgraph owns regions; this subgraph contributes `healthcare` to them by code. */
@Directive('@key(fields: "code")')
@ObjectType({
  description: 'An administrative division above the village level, keyed by its official code.',
})
export class Region {
  @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
  code!: string;
}

export function resolveRegionReference(ref: { code: string }): Region {
  return Object.assign(new Region(), { code: ref.code });
}
