import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/** A child region as the gateway sends it for `Region.culture`: its code and rural villages. */
export interface ChildCount {
  code: string;
  ruralVillageCount?: number | null;
}

/**
 * The places subgraph owns regions; culture contributes `Region.culture` by code and asks the
 * gateway for the region's rural village count (owned by places) to compute coverage, and for
 * its children's counts to rank them by coverage.
 */
@Directive('@key(fields: "code")')
@ObjectType({
  description: 'An administrative division above the village level, keyed by its official code.',
})
export class Region {
  @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
  code!: string;

  // Must match places' `Int!`: composition rejects a nullable @external of a non-null field.
  @Directive('@external')
  @Field(() => Int, {
    description: 'Rural villages (村委会 / 村民委员会) in this region, from the places subgraph.',
  })
  ruralVillageCount?: number | null;

  @Directive('@external')
  @Field(() => [Region], {
    description: 'The regions one level down, from the places subgraph.',
  })
  children?: ChildCount[] | null;
}

/** The gateway sends `{ code, ruralVillageCount, children }` when `culture` is selected. */
export function resolveRegionReference(ref: {
  code: string;
  ruralVillageCount?: number | null;
  children?: ChildCount[] | null;
}): Region {
  return Object.assign(new Region(), {
    code: ref.code,
    ruralVillageCount: ref.ruralVillageCount ?? null,
    children: ref.children ?? null,
  });
}
